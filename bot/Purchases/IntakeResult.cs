namespace ProcurementBot.Purchases;

public sealed record IntakeResult(IReadOnlyList<string> Created, IReadOnlyList<string> AlreadyKnown);
