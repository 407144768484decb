namespace ProcurementBot.Slack;

/// <summary>
/// <c>Slack:Inbox</c>: how acknowledged events and clicks are worked from the store (<see cref="SlackInbox"/>). The
/// defaults suit production; tests shorten the lease to see a crashed instance's work taken over.
/// </summary>
public sealed class SlackInboxOptions
{
    public const string Section = "Slack:Inbox";

    /// <summary>How long an instance holds an item it works; a crashed instance's items are taken over after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the store is looked at besides when this instance stores an item (crash recovery, retries after a failure).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Items worked at once on an instance (each is a different person's: a person's items run one after another).</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Unfinished items at which new ones are refused with 503 (Slack retries them), so a flood cannot grow the store without limit.</summary>
    public int Capacity { get; set; } = 2048;

    /// <summary>
    /// Failures that trying again will not cure (Slack refused the call, a handler ran out of its lease, an instance
    /// crashed holding the item) after which an item is set aside (logged as an error), so the person's later items are
    /// not held back.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// How long an item failing for a passing reason (Slack or the store unreachable, Slack's 5xx or rate limit) is
    /// tried again, every 15 minutes at most, before it is set aside: an answer acknowledged to Slack outlives an outage.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);
}
