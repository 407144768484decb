using Microsoft.Extensions.Options;
using ProcurementBot.Escalations;
using ProcurementBot.QuestionSets;
using ProcurementBot.Rollups;
using ProcurementBot.Storage;

namespace ProcurementBot.CheckIns;

/// <summary>
/// When a check-in finishes, it says so, and escalations and results listen: the write that finishes it sets
/// <see cref="CheckIn.FinishPending"/> (<see cref="Mark"/>), so a crash right after it cannot lose what the answers
/// call for. The turn then tells escalations and results at once (<see cref="AnnounceAsync"/>) and clears the flag;
/// whatever it could not finish (a crash, a supplier's trend count contended by hundreds of answers at once) the
/// leased sweep (<see cref="SweepAsync"/>, run by the escalation worker on every instance) does later. Both are
/// idempotent on the check-in, so doing it twice raises and counts nothing twice.
/// </summary>
public sealed class FinishedCheckIns(
    IProcurementStore store,
    QuestionSetCatalog catalog,
    EscalationService escalations,
    ResultRollups rollups,
    TimeProvider clock,
    IOptions<EscalationOptions> options,
    ILogger<FinishedCheckIns> logger)
{
    /// <summary>How long a finish that could not be announced waits before the sweep tries it again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Whether escalations and results hear of this check-in: it finished, and an expired one only with answers.</summary>
    public static bool Announces(CheckIn checkIn) =>
        checkIn.Status is CheckInStatus.Completed or CheckInStatus.Stopped
        || (checkIn.Status == CheckInStatus.Expired && checkIn.Answers.Count > 0);

    /// <summary>The check-in about to be written, flagged when this write is the one that finishes it.</summary>
    public static CheckIn Mark(CheckIn before, CheckIn after) =>
        Announces(after) && !Announces(before) ? after with { FinishPending = true } : after;

    /// <summary>
    /// After the finishing write (or a retried activity on a finished check-in): raises its escalations, counts it
    /// towards supplier trends and into the results, and clears the flag. Never throws for them: the flag stays
    /// set and the sweep tries again, so the turn that stored the answers is not failed for what follows from them.
    /// </summary>
    public async Task AnnounceAsync(CheckIn saved, QuestionSet set, CancellationToken cancellationToken)
    {
        if (!saved.FinishPending || saved.LeaseOwner is not null)
        {
            // Announced already, or the sweep holds it now.
            return;
        }

        if (await TellAsync(saved, set, cancellationToken)
            && await store.TryReplaceCheckInAsync(saved with { FinishPending = false }, cancellationToken) is null)
        {
            // Changed since (the sweep claimed it meanwhile): the sweep clears it; telling again changes nothing.
            logger.LogDebug("Check-in {CheckInId} changed before its finish was marked announced", saved.Id);
        }
    }

    /// <summary>Announces the finishes that were not (a crash, a failure), each under a lease; returns how many it claimed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var claimed = await store.ClaimPendingFinishesAsync(now, _owner, now + settings.LeaseDuration, settings.BatchSize, cancellationToken);
        foreach (var checkIn in claimed)
        {
            var set = await catalog.GetAsync(checkIn.QuestionSetId, checkIn.QuestionSetVersion, cancellationToken);
            var told = await TellAsync(checkIn, set, cancellationToken);
            var next = told
                ? checkIn with { FinishPending = false, LeaseOwner = null, LeaseUntil = null }
                // Not before then: the lease's end is when it may be claimed again.
                : checkIn with { LeaseOwner = null, LeaseUntil = clock.GetUtcNow() + RetryAfter };
            if (await store.TryReplaceCheckInAsync(next, cancellationToken) is null)
            {
                logger.LogInformation("Check-in {CheckInId} changed while this instance announced its finish", checkIn.Id);
            }
            else if (told)
            {
                logger.LogInformation("Announced the finish of check-in {CheckInId} that its turn had left undone", checkIn.Id);
            }
        }

        return claimed.Count;
    }

    private async Task<bool> TellAsync(CheckIn finished, QuestionSet set, CancellationToken cancellationToken)
    {
        try
        {
            await escalations.RaiseForCheckInAsync(finished, cancellationToken);
            await rollups.RecordAsync(finished, set, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Check-in {CheckInId} finished, but its escalations or results could not be recorded now; the sweep tries again", finished.Id);
            return false;
        }
    }
}
