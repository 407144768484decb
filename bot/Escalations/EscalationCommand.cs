namespace ProcurementBot.Escalations;

/// <summary>
/// A buyer's click. <see cref="ActionKey"/> identifies the channel activity (retries share it);
/// <see cref="Revision"/> is the revision of the card that was clicked.
/// </summary>
public sealed record EscalationCommand(string EscalationId, EscalationVerb Verb, Actor Actor, string ActionKey, int? Revision, string? Note = null);
