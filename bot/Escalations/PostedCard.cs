namespace ProcurementBot.Escalations;

/// <summary>
/// Where the card was posted: the thread's conversation and the card message in it, and the channel
/// registration it went to (whose team's members may act on it).
/// </summary>
public sealed record PostedCard(string Channel, string ServiceUrl, string ConversationId, string ActivityId, string? TeamId);
