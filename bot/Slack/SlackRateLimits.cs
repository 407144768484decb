namespace ProcurementBot.Slack;

/// <summary>
/// Slack's Web API rate-limit tiers (docs.slack.dev, "Rate limits"), applied per method per workspace per app:
/// Tier 1 1+ a minute, Tier 2 20+, Tier 3 50+, Tier 4 100+, each allowing some burst; <c>chat.postMessage</c> is
/// special: about one message a second per channel, short bursts allowed, plus a workspace-wide limit Slack does
/// not publish (a 429 tells us).
/// </summary>
public static class SlackRateLimits
{
    public sealed record Limit(string Tier, int PerMinute, int Burst);

    public static readonly Limit Tier1 = new("Tier 1", 1, 1);
    public static readonly Limit Tier2 = new("Tier 2", 20, 4);
    public static readonly Limit Tier3 = new("Tier 3", 50, 10);
    public static readonly Limit Tier4 = new("Tier 4", 100, 20);

    /// <summary><c>chat.postMessage</c>, per channel: one a second, a short burst of a few.</summary>
    public static readonly Limit PostMessagePerChannel = new("Special (per channel)", 60, 4);

    /// <summary>The tier of each method the bot calls, from the method's page in Slack's reference.</summary>
    public static readonly IReadOnlyDictionary<string, Limit?> Methods = new Dictionary<string, Limit?>(StringComparer.Ordinal)
    {
        ["users.lookupByEmail"] = Tier3,
        ["users.info"] = Tier4,
        ["conversations.open"] = Tier3,
        ["conversations.members"] = Tier4,
        ["chat.update"] = Tier3,
        ["views.open"] = Tier4,
        ["views.update"] = Tier4,
        ["chat.postEphemeral"] = Tier4,

        // Special: paced per channel (see PostMessagePerChannel); the workspace-wide limit is left to 429s.
        ["chat.postMessage"] = null,
    };

    /// <summary>A method's limit; one not in the table is treated as Tier 2, where "most methods" are.</summary>
    public static Limit? For(string method) => Methods.TryGetValue(method, out var limit) ? limit : Tier2;
}
