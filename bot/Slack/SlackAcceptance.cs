namespace ProcurementBot.Slack;

/// <summary>What became of an event or click offered to the <see cref="SlackInbox"/>.</summary>
public enum SlackAcceptance
{
    /// <summary>Stored: it will be handled, here or by another instance, even after a crash. Answer 200.</summary>
    Stored,

    /// <summary>Stored before (Slack's retry, a duplicate delivery): nothing more to do. Answer 200.</summary>
    Duplicate,

    /// <summary>Not stored (too much unfinished work, or the store failed): answer 503 so Slack retries it later.</summary>
    Refused,
}
