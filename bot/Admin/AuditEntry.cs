namespace ProcurementBot.Admin;

/// <summary>One admin change: who did what to what, and when. <see cref="At"/> is UTC.</summary>
public sealed record AuditEntry(string Id, DateTimeOffset At, string ActorId, string ActorName, string Action, string Target, string? Details);
