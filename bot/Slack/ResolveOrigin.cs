namespace ProcurementBot.Slack;

/// <summary>The Resolve modal's private_metadata: the escalation and revision it was opened for, and the message it came from.</summary>
public sealed record ResolveOrigin(string EscalationId, int Revision, string Channel, string MessageTs);
