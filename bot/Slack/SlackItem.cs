using System.Text.Json.Serialization;

namespace ProcurementBot.Slack;

/// <summary>
/// An event or click Slack was told "received" (200), kept in the store until it has been handled, so a crash loses
/// nothing Slack will not send again. <see cref="Id"/> is Slack's own name for it (<c>event:{event_id}</c>,
/// <c>action:{trigger_id}</c>), so a retry or a duplicate delivery is stored once. Items of one <see cref="Lane"/> (a
/// person) are handled one at a time in <see cref="Sequence"/> order, so "4" then "yes" are answered as typed.
/// </summary>
public sealed record SlackItem(string Id, SlackItemKind Kind, string Lane, long Sequence, string Payload, DateTimeOffset ReceivedAt)
{
    /// <summary>
    /// How long a done item is remembered, so Slack's retries (three at most, the last about five minutes after the first delivery) and
    /// duplicate deliveries are recognised; then the store forgets it.
    /// </summary>
    public static readonly TimeSpan KeptDone = TimeSpan.FromDays(1);

    /// <summary>How many times handling it failed, for any reason (the backoff grows with it).</summary>
    public int Failures { get; init; }

    /// <summary>
    /// Failures that trying again will not cure (Slack refused the request, the payload cannot be read, a handler
    /// ran out of time); together with <see cref="Lapses"/>, what sets it aside after <see cref="SlackInboxOptions.MaxAttempts"/>.
    /// </summary>
    public int Faults { get; init; }

    /// <summary>
    /// How many times its lease ran out before its run ended (the instance crashed or hung holding it), counted by the
    /// claim that takes it over, so an item that brings its worker down is set aside rather than tried for ever.
    /// </summary>
    public int Lapses { get; init; }

    /// <summary>Not to be tried before then (after a failure).</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>
    /// Handled (the payload, what a person wrote, is emptied), or set aside (the payload is kept, to be looked into);
    /// either way kept <see cref="KeptDone"/>, so a late retry is still known.
    /// </summary>
    public bool Done { get; init; }

    public DateTimeOffset? DoneAt { get; init; }

    /// <summary>Done without being handled: it kept failing (see <see cref="Faults"/>, <see cref="SlackInboxOptions.RetryFor"/>).</summary>
    public bool SetAside { get; init; }

    /// <summary>The type of the last failure (never its message: that may quote what a person wrote).</summary>
    public string? LastError { get; init; }

    /// <summary>The store's concurrency token; not part of the document.</summary>
    [JsonIgnore]
    public string ETag { get; init; } = "";

    /// <summary>Whether a worker may take it now: not done, due, and not leased (or its lease ended).</summary>
    public bool IsClaimable(DateTimeOffset now) => !Done && NextAttemptAt <= now && !IsLeased(now);

    /// <summary>Whether a worker holds it now.</summary>
    public bool IsLeased(DateTimeOffset now) => LeaseUntil > now;

    /// <summary>
    /// The item as a claim leaves it: leased to <paramref name="owner"/>, one more <see cref="Lapses"/> if the last
    /// lease ran out rather than being given back (every way a run ends clears the lease).
    /// </summary>
    public SlackItem Leased(string owner, DateTimeOffset until) =>
        this with { LeaseOwner = owner, LeaseUntil = until, Lapses = LeaseOwner is null ? Lapses : Lapses + 1 };
}
