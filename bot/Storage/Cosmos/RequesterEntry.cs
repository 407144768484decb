using ProcurementBot.CheckIns;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// One check-in in a requester's index. <see cref="Was"/> is the indexed status before a change that is
/// being written: it is set before the check-in is replaced and cleared after, so a crash in between leaves
/// the check-in findable under both.
/// </summary>
internal sealed record RequesterEntry(string Id, CheckInStatus Status, DateTimeOffset DueAt, string? PersonId, CheckInStatus? Was = null)
{
    /// <summary>With retention on, when a closed check-in's document expires; the entry goes then too.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>A check-in waiting for answers: its next reminder or expiry, so a change of it is seen without a read.</summary>
    public DateTimeOffset? NudgeAt { get; init; }
}
