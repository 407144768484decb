namespace ProcurementBot.Escalations;

public sealed record ActResult(ActOutcome Outcome, Escalation? Escalation, string Message);
