namespace ProcurementBot.Escalations;

/// <summary>Something a person did to an escalation, shown on the card as its history.</summary>
public sealed record EscalationEvent(DateTimeOffset At, string Actor, string What);
