namespace ProcurementBot.Escalations;

/// <summary>One check-in counted towards a supplier trend; the one that completed a trend names the escalation it raised.</summary>
public sealed record LowRating(string CheckInId, string RuleId, DateTimeOffset At, string? RaisedEscalationId = null);
