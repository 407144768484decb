using System.ComponentModel.DataAnnotations;

namespace ProcurementBot.BotFramework.Pacing;

/// <summary>
/// How fast the bot may call the Bot Connector. The defaults are Teams' published limits ("Optimize your bot
/// with rate limiting in Teams", learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit): 50
/// requests per second per app per tenant, and per bot per thread (conversation) 7 per 1 s, 8 per 2 s,
/// 60 per 30 s and 1800 per hour for sending and creating conversations. Teams says the values may change.
/// </summary>
public sealed class PacingOptions
{
    public const string Section = "Pacing";

    /// <summary>Off sends every call at once and leaves 429s to the retry handler alone.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Connector calls per second for the whole app, shared by every live instance.</summary>
    [Range(1, 100_000)]
    public int AppPerSecond { get; set; } = 50;

    [Range(1, 100_000)]
    public int ConversationPerSecond { get; set; } = 7;

    [Range(1, 100_000)]
    public int ConversationPer2Seconds { get; set; } = 8;

    [Range(1, 1_000_000)]
    public int ConversationPer30Seconds { get; set; } = 60;

    [Range(1, 10_000_000)]
    public int ConversationPerHour { get; set; } = 1800;

    /// <summary>
    /// Added to every window, so calls granted exactly a window apart still arrive a window apart after
    /// network jitter. 20 ms costs 2% of the one-second limits.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan Margin { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often each instance records that it is alive and counts the live instances.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a heartbeat counts: an instance that stops (or dies) leaves the count this long after its last
    /// heartbeat, and the others take over its share of the app limit then. Must exceed <see cref="HeartbeatInterval"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:30:00")]
    public TimeSpan InstanceTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The per-conversation windows, shortest first.</summary>
    internal IReadOnlyList<PacingWindow> ConversationWindows =>
    [
        new(TimeSpan.FromSeconds(1), ConversationPerSecond),
        new(TimeSpan.FromSeconds(2), ConversationPer2Seconds),
        new(TimeSpan.FromSeconds(30), ConversationPer30Seconds),
        new(TimeSpan.FromHours(1), ConversationPerHour),
    ];
}
