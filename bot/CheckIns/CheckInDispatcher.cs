using Microsoft.Extensions.Options;
using ProcurementBot.People;
using ProcurementBot.QuestionSets;
using ProcurementBot.Rollups;
using ProcurementBot.Storage;

namespace ProcurementBot.CheckIns;

/// <summary>
/// Sends check-ins that are due, reminds people who have not answered and expires what stays unanswered.
/// Each check-in is claimed with a lease first, so several bot instances never work on the same one at
/// once, and one whose sender died is picked up when the lease ends.
/// <para>
/// Unless the caller gave an explicit <c>checkInAt</c>, a check-in is sent only inside the requester's
/// working hours (their time zone), never while another of theirs waits for answers (the next goes when
/// that one finishes), and never beyond the weekly cap; each of these holds it back with the reason.
/// </para>
/// </summary>
public sealed class CheckInDispatcher(
    IProcurementStore store,
    QuestionSetCatalog catalog,
    IEnumerable<IChannelGateway> gateways,
    IEnumerable<IDirectoryLookup> directories,
    PeopleDirectory people,
    PendingCheckIns pending,
    FinishedCheckIns finishes,
    ResultRollups rollups,
    TimeProvider clock,
    IOptions<CheckInOptions> options,
    ILogger<CheckInDispatcher> logger) : IDisposable
{
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    // Sends in flight on this instance, across batches: the background loop claims the next batch while the
    // last sends of the previous one are still out, so the pipe to the channel never runs dry between batches.
    private readonly SemaphoreSlim _slots = new(options.Value.SendConcurrency, options.Value.SendConcurrency);
    private readonly HashSet<Task> _inFlight = [];

    /// <summary>Does what is due now and waits until it is done; returns how many check-ins were handled.</summary>
    public Task<int> DispatchDueAsync(CancellationToken cancellationToken) => DispatchAsync(waitForAll: true, cancellationToken);

    /// <summary>
    /// Claims what is due and returns once every claimed check-in has a send slot (the last ones may still be
    /// sending): the background loop's round, so the next claim overlaps the previous batch's tail.
    /// </summary>
    internal Task<int> DispatchStartedAsync(CancellationToken cancellationToken) => DispatchAsync(waitForAll: false, cancellationToken);

    private async Task<int> DispatchAsync(bool waitForAll, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var claimed = await store.ClaimDueCheckInsAsync(now, _owner, now + settings.LeaseDuration, settings.BatchSize, cancellationToken);

        // People in parallel; one person's check-ins in order, so the second of two sees the first one open.
        var running = new List<Task>();
        foreach (var person in claimed.GroupBy(c => c.RequesterKey, StringComparer.Ordinal))
        {
            await _slots.WaitAsync(cancellationToken);
            running.Add(Tracked(HandlePersonAsync([.. person], settings, cancellationToken)));
        }

        if (waitForAll)
        {
            await Task.WhenAll(running);
        }

        return claimed.Count;
    }

    /// <summary>
    /// Until every send this dispatcher started has ended: the background loop awaits it when it stops, so no send
    /// outlives the store or the channel clients it uses (they are disposed after the hosted services stop).
    /// </summary>
    internal async Task DrainAsync()
    {
        Task[] inFlight;
        lock (_inFlight)
        {
            inFlight = [.. _inFlight];
        }

        try
        {
            await Task.WhenAll(inFlight);
        }
        catch (OperationCanceledException)
        {
            // Sends stopped by the shutdown end so; their leases run out and any instance takes them up again.
        }
    }

    private Task Tracked(Task send)
    {
        lock (_inFlight)
        {
            _inFlight.Add(send);
        }

        _ = send.ContinueWith(
            done =>
            {
                lock (_inFlight)
                {
                    _inFlight.Remove(done);
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return send;
    }

    public void Dispose() => _slots.Dispose();

    private async Task HandlePersonAsync(IReadOnlyList<CheckIn> checkIns, CheckInOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            foreach (var checkIn in checkIns)
            {
                if (checkIn.Status == CheckInStatus.InProgress)
                {
                    await NudgeAsync(checkIn, settings, cancellationToken);
                }
                else
                {
                    await SendOneAsync(checkIn, settings, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The store failed under us: the lease runs out and any instance takes these up again.
            logger.LogError(ex, "Check-ins of {Requester} could not be handled now; they are taken up again when their lease ends", LoggedPerson.Of(checkIns[0].RequesterKey));
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task SendOneAsync(CheckIn checkIn, CheckInOptions settings, CancellationToken cancellationToken)
    {
        Person? person;
        try
        {
            person = await FindRequesterAsync(checkIn.RequesterKey, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A directory that could not be asked is a failed attempt, retried like a failed send.
            await RecordFailureAsync(checkIn, null, ex, settings, cancellationToken);
            return;
        }

        if (person is null)
        {
            logger.LogInformation("Check-in {CheckInId} waits until {Requester} installs the bot", checkIn.Id, LoggedPerson.Of(checkIn.RequesterKey));
            await SaveAsync(checkIn with { Status = CheckInStatus.AwaitingContact, LeaseOwner = null, LeaseUntil = null }, cancellationToken);
            return;
        }

        if (person.OptedOut)
        {
            await SaveAsync(checkIn with { Status = CheckInStatus.OptedOut, PersonId = person.Id, LastError = "The requester opted out of check-ins.", LeaseOwner = null, LeaseUntil = null }, cancellationToken);
            return;
        }

        var gateway = gateways.FirstOrDefault(g => g.CanReach(person));
        if (gateway is null)
        {
            await SaveAsync(checkIn with { Status = CheckInStatus.Failed, LastError = $"No channel can reach {person.Id}.", LeaseOwner = null, LeaseUntil = null }, cancellationToken);
            return;
        }

        QuestionSet set;
        try
        {
            set = await catalog.GetAsync(checkIn.QuestionSetId, checkIn.QuestionSetVersion, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            await SaveAsync(checkIn with { Status = CheckInStatus.Failed, LastError = ex.Message, LeaseOwner = null, LeaseUntil = null }, cancellationToken);
            return;
        }

        var policy = CheckInPolicy.For(set, settings);
        var zone = WorkingHours.ZoneOf(person.TimeZone, settings.DefaultTimeZone);
        var around = checkIn.HasExplicitTime ? null : await pending.AroundAsync(checkIn, clock.GetUtcNow(), cancellationToken);
        if (around is not null && HoldFor(around, policy, zone, settings) is { } hold)
        {
            logger.LogInformation("Check-in {CheckInId} waits until {DueAt}: {Reason}", checkIn.Id, hold.Until, hold.Reason);
            await SaveAsync(checkIn with { Status = CheckInStatus.Scheduled, DueAt = hold.Until, HeldBack = hold.Reason, LeaseOwner = null, LeaseUntil = null }, cancellationToken);
            return;
        }

        try
        {
            var card = CheckInConversation.CardFor(checkIn, set, BotText.Greeting(person.Name, checkIn.Purchase, around?.WaitingToday ?? 0));
            var ids = await gateway.SendAsync(person, [new CheckInCardReply(card)], cancellationToken);
            var now = clock.GetUtcNow();
            var sent = checkIn with
            {
                Status = CheckInStatus.InProgress,
                PersonId = person.Id,
                SentAt = now,
                CardMessageId = ids.Count > 0 ? ids[0] : null,
                SendAttempts = checkIn.SendAttempts + 1,
                NudgeAt = NextNudge(now, 0, now, policy, zone),
                RemindersSent = 0,
                LastError = null,
                HeldBack = null,
                LeaseOwner = null,
                LeaseUntil = null,
            };

            // Counted into the results before it is saved as sent: a crash after the save would otherwise lose the
            // count for good (nothing re-counts a check-in saved as sent), while a crash before the save leaves it
            // claimed, so it is sent again when its lease ends and counted again, which counts once (by check-in id).
            await rollups.RecordSentAsync(sent, cancellationToken);
            await SaveAsync(sent, cancellationToken);
            logger.LogInformation("Sent check-in {CheckInId} for purchase {PurchaseId} to {PersonId}", checkIn.Id, checkIn.Purchase.PurchaseId, person.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(checkIn, person.Id, ex, settings, cancellationToken);
        }
    }

    /// <summary>The person a check-in is for: known to the store, else found in a channel's directory by email.</summary>
    private async Task<Person?> FindRequesterAsync(string requesterKey, CancellationToken cancellationToken)
    {
        if (await people.FindByAddressAsync(requesterKey, cancellationToken) is { } known)
        {
            return known;
        }

        foreach (var directory in directories)
        {
            if (await directory.FindByEmailAsync(requesterKey, cancellationToken) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private async Task RecordFailureAsync(CheckIn checkIn, string? personId, Exception ex, CheckInOptions settings, CancellationToken cancellationToken)
    {
        var attempts = checkIn.SendAttempts + 1;
        var giveUp = ex is DeliveryException { Permanent: true } || attempts >= settings.MaxSendAttempts;
        logger.LogWarning(ex, "Sending check-in {CheckInId} to {PersonId} failed (attempt {Attempt}, giving up: {GiveUp})", checkIn.Id, personId ?? LoggedPerson.Of(checkIn.RequesterKey), attempts, giveUp);
        var backOff = TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, attempts - 1)));
        await SaveAsync(checkIn with
        {
            Status = giveUp ? CheckInStatus.Failed : CheckInStatus.Scheduled,
            PersonId = personId ?? checkIn.PersonId,
            DueAt = giveUp ? checkIn.DueAt : clock.GetUtcNow() + backOff,
            SendAttempts = attempts,
            LastError = ex.Message,
            LeaseOwner = null,
            LeaseUntil = null,
        }, cancellationToken);
    }

    private sealed record Hold(DateTimeOffset Until, string Reason);

    /// <summary>Why the check-in cannot go now and until when, or null when it can.</summary>
    private Hold? HoldFor(PendingCheckIns.Around around, CheckInPolicy policy, TimeZoneInfo zone, CheckInOptions settings)
    {
        var now = clock.GetUtcNow();
        var opening = policy.WorkingHours.NextOpening(now, zone);
        if (opening > now)
        {
            return new Hold(opening, PendingCheckIns.Holds.OutsideWorkingHours);
        }

        // Several deliveries are asked one after the other, not as a burst: the next goes when this one finishes
        // (or, should that release be lost, at the open one's next reminder or expiry).
        if (around.OpenOther is { } open)
        {
            return new Hold(open.NudgeAt is { } nudge && nudge > now ? nudge : now + settings.ReminderAfter, PendingCheckIns.Holds.BehindOpenCheckIn);
        }

        var sent = around.SentInLastWeek;
        if (sent.Count >= settings.MaxPerPersonPerWeek)
        {
            // Free again when enough of the week's sends are older than 7 days, then inside working hours.
            var free = sent[sent.Count - settings.MaxPerPersonPerWeek].AddDays(7);
            return new Hold(policy.WorkingHours.NextOpening(free, zone), PendingCheckIns.Holds.WeeklyCap);
        }

        return null;
    }

    /// <summary>
    /// When a check-in sent at <paramref name="sentAt"/> that had <paramref name="reminded"/> reminders (the last at
    /// <paramref name="last"/>) is next nudged: the next reminder inside working hours, or its expiry when the
    /// reminders are used up or would come after it.
    /// </summary>
    private static DateTimeOffset NextNudge(DateTimeOffset sentAt, int reminded, DateTimeOffset last, CheckInPolicy policy, TimeZoneInfo zone)
    {
        var expiry = sentAt + policy.ExpireAfter;
        if (reminded >= policy.MaxReminders)
        {
            return expiry;
        }

        var reminder = policy.WorkingHours.NextOpening(last + policy.ReminderAfter, zone);
        return reminder < expiry ? reminder : expiry;
    }

    /// <summary>A claimed check-in waiting for answers whose nudge is due: remind the person, or expire it.</summary>
    private async Task NudgeAsync(CheckIn checkIn, CheckInOptions settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var set = await catalog.GetAsync(checkIn.QuestionSetId, checkIn.QuestionSetVersion, cancellationToken);
        var policy = CheckInPolicy.For(set, settings);
        var sentAt = checkIn.SentAt ?? checkIn.DueAt;
        var person = checkIn.PersonId is { } id ? await store.GetPersonAsync(id, cancellationToken) : null;
        var zone = WorkingHours.ZoneOf(person?.TimeZone, settings.DefaultTimeZone);
        if (now >= sentAt + policy.ExpireAfter || person is null || person.OptedOut)
        {
            await ExpireAsync(checkIn, set, now, cancellationToken);
            return;
        }

        var gateway = gateways.FirstOrDefault(g => g.CanReach(person));
        if (checkIn.RemindersSent >= policy.MaxReminders || gateway is null)
        {
            await SaveAsync(checkIn with { NudgeAt = sentAt + policy.ExpireAfter, LeaseOwner = null, LeaseUntil = null }, cancellationToken);
            return;
        }

        var reminded = checkIn.RemindersSent;
        try
        {
            var card = CheckInConversation.CardFor(checkIn, set, BotText.Reminder(person.Name, checkIn.Purchase));
            var ids = await gateway.SendAsync(person, [new CheckInCardReply(card)], cancellationToken);
            reminded++;
            logger.LogInformation("Reminded {PersonId} of check-in {CheckInId} ({Reminder} of {Max})", person.Id, checkIn.Id, reminded, policy.MaxReminders);
            await SaveAsync(checkIn with
            {
                CardMessageId = ids.Count > 0 && ids[0] is { } messageId ? messageId : checkIn.CardMessageId,
                RemindersSent = reminded,
                NudgeAt = NextNudge(sentAt, reminded, now, policy, zone),
                LastError = null,
                LeaseOwner = null,
                LeaseUntil = null,
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A reminder is a courtesy: one that cannot be delivered is not retried; the check-in still expires on time.
            logger.LogWarning(ex, "Reminding {PersonId} of check-in {CheckInId} failed; not retrying the reminder", person.Id, checkIn.Id);
            await SaveAsync(checkIn with
            {
                RemindersSent = reminded + 1,
                NudgeAt = NextNudge(sentAt, reminded + 1, now, policy, zone),
                LastError = ex.Message,
                LeaseOwner = null,
                LeaseUntil = null,
            }, cancellationToken);
        }
    }

    /// <summary>
    /// Closes an unanswered check-in as expired. Answers given before it expired still count, and still escalate:
    /// "1 star" and then silence is worth a look.
    /// </summary>
    private async Task ExpireAsync(CheckIn checkIn, QuestionSet set, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The expiry records, in the same write, that escalations and results are still to hear of its answers.
        var expired = await SaveAsync(FinishedCheckIns.Mark(checkIn, checkIn with
        {
            Status = CheckInStatus.Expired,
            CompletedAt = checkIn.Answers.Count > 0 ? now : null,
            NudgeAt = null,
            LeaseOwner = null,
            LeaseUntil = null,
        }), cancellationToken);
        if (expired is null)
        {
            return;
        }

        logger.LogInformation("Check-in {CheckInId} expired with {AnswerCount} answers", checkIn.Id, checkIn.Answers.Count);
        await rollups.RecordExpiredAsync(expired, cancellationToken);
        if (expired.Answers.Count > 0)
        {
            await finishes.AnnounceAsync(expired, set, cancellationToken);
        }

        await pending.ReleaseNextAsync(expired.RequesterKey, cancellationToken);
    }

    private async Task<CheckIn?> SaveAsync(CheckIn checkIn, CancellationToken cancellationToken)
    {
        var saved = await store.TryReplaceCheckInAsync(checkIn, cancellationToken);
        if (saved is null)
        {
            // Someone changed it after our claim: the person answered meanwhile, or the lease ran out and another instance took over.
            logger.LogInformation("Check-in {CheckInId} changed while this instance held its lease; leaving it to the other writer", checkIn.Id);
        }

        return saved;
    }
}
