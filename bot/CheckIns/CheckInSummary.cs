using ProcurementBot.Purchases;

namespace ProcurementBot.CheckIns;

public sealed record CheckInSummary(string CheckInId, Purchase Purchase, string Status, IReadOnlyList<(string Question, string Answer)> Answers);
