namespace ProcurementBot.Slack;

/// <summary>The value of an escalation button.</summary>
public sealed record ButtonValue(string EscalationId, int Revision);
