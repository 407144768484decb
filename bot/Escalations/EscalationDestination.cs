namespace ProcurementBot.Escalations;

/// <summary>
/// The channel that receives escalation cards: the default one (empty <see cref="Category"/>) or
/// the one for a purchase category. Registered by an admin saying "escalate here" in it.
/// </summary>
public sealed record EscalationDestination
{
    /// <summary>Empty for the default channel.</summary>
    public required string Category { get; init; }
    public required string ChannelId { get; init; }
    public required string ServiceUrl { get; init; }

    /// <summary>The channel's conversation id (Teams: the channel id; Slack: the channel).</summary>
    public required string ConversationId { get; init; }

    /// <summary>The team whose members may act on escalations.</summary>
    public string? TeamId { get; init; }
    public string? TenantId { get; init; }
    public string? Name { get; init; }
    public required string RegisteredBy { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
}
