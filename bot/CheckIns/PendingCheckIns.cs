using ProcurementBot.People;
using ProcurementBot.Storage;

namespace ProcurementBot.CheckIns;

/// <summary>
/// A person's check-ins that are not finished, as a whole: held back behind an open one and released when it
/// finishes, skipped when the person opts out and resumed when they opt in.
/// </summary>
public sealed class PendingCheckIns(IProcurementStore store, TimeProvider clock, ILogger<PendingCheckIns> logger)
{
    /// <summary>Why a scheduled check-in waits; kept on it in <see cref="CheckIn.HeldBack"/>.</summary>
    public static class Holds
    {
        public const string OutsideWorkingHours = "outside the requester's working hours";
        public const string BehindOpenCheckIn = "another check-in is waiting for the requester's answers";
        public const string WeeklyCap = "the requester's weekly limit of check-ins is reached";
    }

    private static readonly CheckInStatus[] Skippable = [CheckInStatus.Scheduled, CheckInStatus.AwaitingContact, CheckInStatus.Sending, CheckInStatus.InProgress];

    /// <summary>
    /// A check-in of this requester finished: the next one held behind it is due now (working hours and the
    /// weekly cap still apply when the sender takes it).
    /// </summary>
    public async Task ReleaseNextAsync(string requesterKey, CancellationToken cancellationToken, string? typedActivityKey = null)
    {
        var now = clock.GetUtcNow();
        var held = await store.GetCheckInsForRequesterAsync(requesterKey, [CheckInStatus.Scheduled], cancellationToken);
        if (held.FirstOrDefault(c => c.HeldBack == Holds.BehindOpenCheckIn) is { } next && next.DueAt > now)
        {
            var released = next with { DueAt = now };
            // It is sent in moments, before the channel gives up retrying the typed answer that finished the last one (see CarryTypedAnswerAsync).
            await store.TryReplaceCheckInAsync(typedActivityKey is null || released.HasApplied(typedActivityKey) ? released : released.WithApplied(typedActivityKey), cancellationToken);
        }
    }

    /// <summary>
    /// A typed answer names no check-in: it belongs to the person's oldest open one. When it finishes that one, the
    /// channel's retry of it (its 200 lost) would find the next open one and be stored there as an answer too. So
    /// before the finishing write the person's other open check-ins learn the activity as applied; a crash between
    /// the two leaves the finishing one open, where the retry is applied as the first time.
    /// </summary>
    public async Task CarryTypedAnswerAsync(CheckIn finishing, string activityKey, CancellationToken cancellationToken)
    {
        var others = await store.GetCheckInsForRequesterAsync(finishing.RequesterKey, [CheckInStatus.InProgress], cancellationToken);
        foreach (var other in others.Where(c => c.Id != finishing.Id && c.PersonId == finishing.PersonId))
        {
            // A few rounds: each conflict means another writer got through; what still conflicts then is left as it was.
            for (var (current, attempt) = (other, 0); current is { IsOpen: true } && !current.HasApplied(activityKey) && attempt < 5; attempt++)
            {
                if (await store.TryReplaceCheckInAsync(current.WithApplied(activityKey), cancellationToken) is not null)
                {
                    break;
                }

                // Answered or nudged meanwhile: mark the fresh copy.
                current = await store.GetCheckInAsync(other.Id, cancellationToken);
            }
        }
    }

    /// <summary>Opting out skips every check-in not yet finished at once, with the reason; none is deleted.</summary>
    public async Task<int> SkipAllAsync(Person person, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var reason = $"The requester opted out on {now:yyyy-MM-dd}.";
        return await ChangeAllAsync(person, Skippable,
            c => c with { Status = CheckInStatus.OptedOut, LastError = reason, NudgeAt = null, LeaseOwner = null, LeaseUntil = null },
            cancellationToken);
    }

    /// <summary>
    /// Opting in again schedules the check-ins skipped by the opt-out before they were sent, unless they would
    /// have expired by now anyway (<paramref name="stillWorthAsking"/> after they were due).
    /// </summary>
    public async Task<int> ResumeAsync(Person person, TimeSpan stillWorthAsking, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await ChangeAllAsync(person, [CheckInStatus.OptedOut],
            c => c.SentAt is null && c.DueAt + stillWorthAsking > now
                ? c with { Status = CheckInStatus.Scheduled, DueAt = now, LastError = null, HeldBack = null, SendAttempts = 0 }
                : null,
            cancellationToken);
    }

    /// <summary>What the sender needs to know about a requester's other check-ins before sending a check-in.</summary>
    public sealed record Around(CheckIn? OpenOther, int WaitingToday, IReadOnlyList<DateTimeOffset> SentInLastWeek);

    /// <summary>One read of the requester's recent check-ins: one open besides this, others due within a day, the week's sends.</summary>
    public async Task<Around> AroundAsync(CheckIn checkIn, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A check-in is sent at or after it is due, and held ones rarely wait long: two weeks of due times cover the week's sends.
        var recent = (await store.GetCheckInsForRequesterAsync(
            checkIn.RequesterKey,
            [CheckInStatus.Scheduled, CheckInStatus.Sending, CheckInStatus.InProgress, CheckInStatus.Completed, CheckInStatus.Stopped, CheckInStatus.Expired],
            cancellationToken, dueFrom: now.AddDays(-14))).Where(c => c.Id != checkIn.Id).ToList();
        return new Around(
            recent.FirstOrDefault(c => c.Status == CheckInStatus.InProgress),
            recent.Count(c => c.Status is CheckInStatus.Scheduled or CheckInStatus.Sending && !c.HasExplicitTime && c.DueAt <= now.AddDays(1)),
            [.. recent.Select(c => c.SentAt).OfType<DateTimeOffset>().Where(at => at > now.AddDays(-7)).Order()]);
    }

    private async Task<int> ChangeAllAsync(Person person, CheckInStatus[] statuses, Func<CheckIn, CheckIn?> change, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var address in person.Addresses())
        {
            foreach (var checkIn in await store.GetCheckInsForRequesterAsync(address, statuses, cancellationToken))
            {
                // Another writer (an answer, the sender) may change it meanwhile: read again and retry a few times.
                var current = checkIn;
                for (var attempt = 0; attempt < 5 && current is not null && statuses.Contains(current.Status); attempt++)
                {
                    if (change(current) is not { } next)
                    {
                        break;
                    }

                    if (await store.TryReplaceCheckInAsync(next, cancellationToken) is not null)
                    {
                        changed++;
                        break;
                    }

                    current = await store.GetCheckInAsync(checkIn.Id, cancellationToken);
                }
            }
        }

        logger.LogInformation("{Count} check-ins of {PersonId} changed by the opt-out or opt-in", changed, person.Id);
        return changed;
    }
}
