using Microsoft.Extensions.Options;
using ProcurementBot.CheckIns;
using ProcurementBot.QuestionSets;
using ProcurementBot.Rollups;
using ProcurementBot.Storage;

namespace ProcurementBot.Escalations;

/// <summary>
/// Raises escalations from completed check-ins (once each, however often the answer is retried) and
/// from supplier trends, and applies what buyers do to them. Posting, reminders and overdue marks are
/// the <see cref="EscalationWorker"/>'s.
/// </summary>
public sealed class EscalationService(
    IProcurementStore store,
    QuestionSetCatalog catalog,
    IEnumerable<IEscalationAdapter> channels,
    IEnumerable<IChannelGateway> gateways,
    EscalationAdmins admins,
    ResultRollups rollups,
    TimeProvider clock,
    IOptions<EscalationOptions> options,
    ILogger<EscalationService> logger)
{
    // Within this instance, counts for one supplier take turns instead of colliding on its signals' ETag: hundreds
    // of answers for one supplier at once would otherwise use up every retry. Across instances the bounded retries
    // below apply, and a count that still fails is left to the finished check-ins' sweep (FinishedCheckIns).
    // Hashed onto a fixed set so the gates stay few whatever the number of suppliers.
    private readonly SemaphoreSlim[] _supplierGates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Raises what a completed check-in calls for. Safe to call again for the same check-in.</summary>
    public async Task RaiseForCheckInAsync(CheckIn checkIn, CancellationToken cancellationToken)
    {
        // A stopped check-in's answers so far count too: "1 star, stop" is worth a look.
        if (checkIn.Status is not (CheckInStatus.Completed or CheckInStatus.Stopped or CheckInStatus.Expired) || checkIn.Answers.Count == 0)
        {
            return;
        }

        var set = await catalog.GetAsync(checkIn.QuestionSetId, checkIn.QuestionSetVersion, cancellationToken);
        var fired = EscalationRules.FiredFor(checkIn, set);
        if (fired.Count > 0)
        {
            await RaiseAsync(await FromCheckInAsync(checkIn, set, fired, cancellationToken), cancellationToken);
        }

        foreach (var rule in EscalationRules.CountingTowardsTrend(checkIn, set))
        {
            await CountTowardsTrendAsync(checkIn, set, rule, cancellationToken);
        }
    }

    /// <summary>What a buyer did on a card. Returns the escalation's state afterwards, whatever happened.</summary>
    public async Task<ActResult> ActAsync(EscalationCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await store.GetEscalationAsync(command.EscalationId, cancellationToken);
            if (current is null)
            {
                return new ActResult(ActOutcome.NotFound, null, "I can't find that escalation any more.");
            }

            if (attempt == 0 && !await MayActAsync(current, command.Actor, cancellationToken))
            {
                logger.LogWarning("{PersonId} may not act on escalation {EscalationId}", command.Actor.PersonId, current.Id);
                return new ActResult(ActOutcome.NotAllowed, current, "Only members of the procurement team can act on escalations.");
            }

            if (current.HasApplied(command.ActionKey))
            {
                // A retried click: the results may have missed the change if the first try failed after saving it.
                await rollups.RecordEscalationAsync(current, cancellationToken);
                return new ActResult(ActOutcome.AlreadyApplied, current, "Done.");
            }

            if (command.Revision is { } seen && seen != current.Revision)
            {
                var latest = current.History.Count > 0 ? current.History[^1] : null;
                var what = latest is null ? "it changed" : $"{latest.Actor} {latest.What}";
                return new ActResult(ActOutcome.Stale, current, $"The card changed while you were looking ({what}); this is its current state.");
            }

            var (changed, problem) = Apply(current, command, clock.GetUtcNow());
            if (changed is null)
            {
                return new ActResult(ActOutcome.Invalid, current, problem!);
            }

            var saved = await store.TryReplaceEscalationAsync(changed, cancellationToken);
            if (saved is null)
            {
                // Someone else changed it between our read and write: the next round reports the new state.
                command = command with { Revision = command.Revision ?? current.Revision };
                if (attempt < 4)
                {
                    continue;
                }

                throw new InvalidOperationException($"Escalation {current.Id} kept changing under concurrent updates.");
            }

            logger.LogInformation("{Actor} {Verb} escalation {EscalationId}", command.Actor.PersonId, command.Verb, saved.Id);
            await rollups.RecordEscalationAsync(saved, cancellationToken);
            await AfterChangeAsync(saved, command, cancellationToken);
            return new ActResult(ActOutcome.Applied, saved, "Done.");
        }
    }

    /// <summary>An admin made this channel the destination for escalations (of one category, or all).</summary>
    public async Task<RegistrationResult> RegisterChannelAsync(Actor actor, EscalationDestination channel, CancellationToken cancellationToken)
    {
        if (!admins.IsAdmin(actor))
        {
            return new RegistrationResult(false, 0);
        }

        await store.SetEscalationDestinationAsync(channel, cancellationToken);
        var released = 0;
        var now = clock.GetUtcNow();
        foreach (var waiting in await store.GetEscalationsAwaitingChannelAsync(cancellationToken))
        {
            if (ChannelFor(waiting, [channel]) is not null
                && await store.TryReplaceEscalationAsync(waiting with { AwaitingChannel = false, NextActionAt = now }, cancellationToken) is not null)
            {
                released++;
            }
        }

        logger.LogInformation("{Actor} registered {Conversation} for escalations of {Category}; {Released} waiting ones released",
            actor.PersonId, channel.ConversationId, channel.Category.Length == 0 ? "every category" : channel.Category, released);
        return new RegistrationResult(true, released);
    }

    /// <summary>The registered channel for the escalation's category, else the default one.</summary>
    public static EscalationDestination? ChannelFor(Escalation escalation, IReadOnlyList<EscalationDestination> registered) =>
        registered.FirstOrDefault(c => c.Category.Length > 0 && string.Equals(c.Category, escalation.Category.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? registered.FirstOrDefault(c => c.Category.Length == 0);

    /// <summary>When the worker next has something to do: post it, remind, or mark it overdue.</summary>
    public static DateTimeOffset? NextAction(Escalation e, EscalationOptions settings)
    {
        if (e.Card is null)
        {
            return e.AwaitingChannel ? null : e.CreatedAt;
        }

        DateTimeOffset? next = null;
        if (e.Status == EscalationStatus.Open && e.ReminderSentAt is null)
        {
            next = e.CreatedAt + settings.AcknowledgeWithin;
        }

        if (e.Status != EscalationStatus.Resolved && e.OverdueSince is null)
        {
            var due = e.CreatedAt + settings.ResolveWithin;
            next = next is null || due < next ? due : next;
        }

        return next;
    }

    private async Task<Escalation> FromCheckInAsync(CheckIn checkIn, QuestionSet set, IReadOnlyList<EscalationRule> fired, CancellationToken cancellationToken)
    {
        var requester = checkIn.PersonId is null ? null : await store.GetPersonAsync(checkIn.PersonId, cancellationToken);
        var answers = checkIn.Answers
            .Select(a => new EscalatedAnswer(a.QuestionId, Fill(set.FindQuestion(a.QuestionId)?.Text ?? a.QuestionId, checkIn), a.Display()))
            .ToList();
        var comment = checkIn.Answers.LastOrDefault(a => a.Type == QuestionType.Text && !a.Skipped && !string.IsNullOrWhiteSpace(a.Value))?.Value;
        var rules = fired.Select(r => EscalationRules.Describe(r, set)).ToList();
        var now = clock.GetUtcNow();
        return new Escalation
        {
            Id = Escalation.IdForCheckIn(checkIn.Id),
            Kind = EscalationKind.CheckIn,
            Supplier = checkIn.Purchase.Supplier,
            Category = checkIn.Purchase.Category,
            // The purchase names its requester too; an anonymous set's escalation must not.
            Purchase = set.Anonymous ? checkIn.Purchase with { RequesterEmail = "" } : checkIn.Purchase,
            CheckInId = checkIn.Id,
            QuestionSetId = set.Id,
            RequesterName = set.Anonymous ? null : requester?.Name,
            RequesterEmail = set.Anonymous ? null : checkIn.Purchase.RequesterEmail,
            RequesterPersonId = checkIn.PersonId,
            Answers = answers,
            Comment = comment,
            Rules = rules,
            Severity = rules.Max(r => r.Severity),
            Status = EscalationStatus.Open,
            CreatedAt = now,
            NextActionAt = now,
        };
    }

    private async Task RaiseAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        if (await store.AddEscalationAsync(escalation, cancellationToken))
        {
            logger.LogInformation("Raised escalation {EscalationId} ({Severity}) for {Supplier}: {Rules}",
                escalation.Id, escalation.Severity, escalation.Supplier, string.Join(", ", escalation.Rules.Select(r => r.RuleId)));
        }

        // Also when it existed: a retried answer makes good a tally a crash left out.
        await rollups.RecordEscalationAsync(escalation, cancellationToken);
    }

    /// <summary>Counts the check-in against its supplier; escalates the supplier once per window when the count is reached.</summary>
    private async Task CountTowardsTrendAsync(CheckIn checkIn, QuestionSet set, EscalationRule rule, CancellationToken cancellationToken)
    {
        var key = SupplierSignals.KeyOf(checkIn.Purchase.Supplier);
        var now = clock.GetUtcNow();
        var window = TimeSpan.FromDays(rule.Trend!.WithinDays);
        var gate = _supplierGates[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_supplierGates.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            await CountTowardsTrendInTurnAsync(checkIn, set, rule, key, now, window, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task CountTowardsTrendInTurnAsync(
        CheckIn checkIn, QuestionSet set, EscalationRule rule, string key, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        var trend = rule.Trend!;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (attempt > 0)
            {
                // Another instance wrote meanwhile: step aside a little, a random while, so the next try finds it done.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 * attempt)), cancellationToken);
            }

            var signals = await store.GetSupplierSignalsAsync(key, cancellationToken) ?? new SupplierSignals { SupplierKey = key };
            if (signals.LowRatings.FirstOrDefault(r => r.CheckInId == checkIn.Id && r.RuleId == rule.Id) is { } counted)
            {
                // Counted before. If it completed a trend, make sure the escalation exists: the process may have
                // stopped between saving the signals and raising it, and this is the retry.
                if (counted.RaisedEscalationId is { } raised && await store.GetEscalationAsync(raised, cancellationToken) is null)
                {
                    var related = signals.LowRatings.Where(r => r.RuleId == rule.Id && r.At <= counted.At && counted.At - r.At <= window).ToList();
                    await RaiseAsync(TrendEscalation(raised, checkIn, set, rule, related, now), cancellationToken);
                }

                return;
            }

            // Once per window: ratings inside the window of the last trend escalation never count again.
            var inWindow = signals.LowRatings
                .Append(new LowRating(checkIn.Id, rule.Id, now))
                .Where(r => r.RuleId == rule.Id && now - r.At <= window && (!signals.LastTrendWindowStarts.TryGetValue(rule.Id, out var last) || r.At - last > window))
                .OrderBy(r => r.At).ToList();
            var escalate = inWindow.Count >= trend.Count;
            var windowStart = escalate ? inWindow[0].At : default;
            var escalationId = escalate ? $"supplier:{key}:{rule.Id}:{windowStart.ToUnixTimeSeconds()}" : null;

            // Keep only what any window can still count.
            var recent = signals.LowRatings.Where(r => now - r.At <= TimeSpan.FromDays(365))
                .Append(new LowRating(checkIn.Id, rule.Id, now, escalationId)).ToList();
            var starts = new Dictionary<string, DateTimeOffset>(signals.LastTrendWindowStarts);
            if (escalate)
            {
                starts[rule.Id] = windowStart;
            }

            var updated = signals with { LowRatings = recent, LastTrendWindowStarts = starts };
            if (await store.TrySaveSupplierSignalsAsync(updated, cancellationToken) is null)
            {
                continue;
            }

            if (escalationId is not null)
            {
                await RaiseAsync(TrendEscalation(escalationId, checkIn, set, rule, inWindow, now), cancellationToken);
            }

            return;
        }

        throw new InvalidOperationException($"The signals of supplier {key} kept changing under concurrent updates.");
    }

    private static Escalation TrendEscalation(string id, CheckIn checkIn, QuestionSet set, EscalationRule rule, IReadOnlyList<LowRating> related, DateTimeOffset now)
    {
        var fired = EscalationRules.Describe(rule, set);
        return new Escalation
        {
            Id = id,
            Kind = EscalationKind.SupplierTrend,
            Supplier = checkIn.Purchase.Supplier,
            Category = checkIn.Purchase.Category,
            QuestionSetId = set.Id,
            Rules = [fired],
            Severity = fired.Severity,
            RelatedCheckIns = [.. related.Select(r => r.CheckInId)],
            Status = EscalationStatus.Open,
            CreatedAt = now,
            NextActionAt = now,
        };
    }

    private async Task<bool> MayActAsync(Escalation escalation, Actor actor, CancellationToken cancellationToken)
    {
        if (admins.IsAdmin(actor))
        {
            return true;
        }

        if (escalation.Card is not { } card)
        {
            return false;
        }

        var channel = channels.FirstOrDefault(c => c.Handles(card.Channel));
        return channel is not null && await channel.IsTeamMemberAsync(card, actor, cancellationToken);
    }

    private (Escalation? Changed, string? Problem) Apply(Escalation e, EscalationCommand command, DateTimeOffset now)
    {
        var who = command.Actor.Name;
        Escalation? changed = command.Verb switch
        {
            EscalationVerb.Acknowledge when e.Status == EscalationStatus.Open =>
                e with { Status = EscalationStatus.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = who },
            EscalationVerb.AssignToMe when e.Status != EscalationStatus.Resolved =>
                e with
                {
                    Owner = command.Actor,
                    Status = EscalationStatus.Acknowledged,
                    AcknowledgedAt = e.AcknowledgedAt ?? now,
                    AcknowledgedBy = e.AcknowledgedBy ?? who,
                },
            EscalationVerb.Resolve when e.Status != EscalationStatus.Resolved && !string.IsNullOrWhiteSpace(command.Note) && command.Note.Length <= MaxNoteLength =>
                e with { Status = EscalationStatus.Resolved, ResolvedAt = now, ResolvedBy = who, ResolutionNote = command.Note.Trim() },
            EscalationVerb.Reopen when e.Status == EscalationStatus.Resolved =>
                e with { Status = e.AcknowledgedAt is null ? EscalationStatus.Open : EscalationStatus.Acknowledged, ResolvedAt = null, ResolvedBy = null },
            _ => null,
        };
        if (changed is null)
        {
            return (null, Refusal(e, command));
        }

        var what = command.Verb switch
        {
            EscalationVerb.Acknowledge => "acknowledged it",
            EscalationVerb.AssignToMe => "took ownership",
            EscalationVerb.Resolve => "resolved it",
            _ => "reopened it",
        };
        changed = changed.WithApplied(command.ActionKey) with
        {
            Revision = e.Revision + 1,
            History = [.. e.History, new EscalationEvent(now, who, what)],
        };
        return (changed with { NextActionAt = NextAction(changed, options.Value) }, null);
    }

    /// <summary>The longest resolution note the requester is sent.</summary>
    public const int MaxNoteLength = 1000;

    private static string Refusal(Escalation e, EscalationCommand command) => command.Verb switch
    {
        EscalationVerb.Resolve when e.Status != EscalationStatus.Resolved && string.IsNullOrWhiteSpace(command.Note) =>
            "Please add a short note on what was done; the requester will see it.",
        EscalationVerb.Resolve when e.Status != EscalationStatus.Resolved => $"The note is too long; keep it under {MaxNoteLength} characters.",
        EscalationVerb.Reopen => "Only a resolved escalation can be reopened.",
        EscalationVerb.Acknowledge when e.Status == EscalationStatus.Acknowledged => $"{e.AcknowledgedBy} already acknowledged it.",
        _ => "This escalation is resolved; reopen it first.",
    };

    private async Task AfterChangeAsync(Escalation saved, EscalationCommand command, CancellationToken cancellationToken)
    {
        if (saved.Card is { } card && channels.FirstOrDefault(c => c.Handles(card.Channel)) is { } channel)
        {
            try
            {
                await channel.UpdateAsync(saved, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The change is stored; the clicker sees it in the invoke response, others on the next update.
                logger.LogWarning(ex, "Could not update the card of escalation {EscalationId} for everyone", saved.Id);
            }
        }

        if (command.Verb == EscalationVerb.Resolve)
        {
            await TellRequesterAsync(saved, cancellationToken);
        }
    }

    /// <summary>Closes the loop: the person who answered the check-in hears what was done.</summary>
    private async Task TellRequesterAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        if (escalation.RequesterPersonId is null || escalation.Purchase is not { } purchase)
        {
            return;
        }

        var person = await store.GetPersonAsync(escalation.RequesterPersonId, cancellationToken);
        if (person is null || gateways.FirstOrDefault(g => g.CanReach(person)) is not { } gateway)
        {
            logger.LogWarning("Escalation {EscalationId} was resolved but its requester cannot be reached", escalation.Id);
            return;
        }

        var text = $"Update on your order {purchase.PurchaseId} ({purchase.Description} from {purchase.Supplier}): procurement looked into it. \"{escalation.ResolutionNote}\"";
        try
        {
            await gateway.SendAsync(person, [new TextReply(text)], cancellationToken);
        }
        catch (DeliveryException ex)
        {
            logger.LogWarning(ex, "Could not tell {PersonId} that escalation {EscalationId} was resolved", person.Id, escalation.Id);
        }
    }

    private static string Fill(string text, CheckIn checkIn) => text
        .Replace("{supplier}", checkIn.Purchase.Supplier, StringComparison.Ordinal)
        .Replace("{description}", checkIn.Purchase.Description, StringComparison.Ordinal)
        .Replace("{category}", checkIn.Purchase.Category, StringComparison.Ordinal)
        .Replace("{purchaseId}", checkIn.Purchase.PurchaseId, StringComparison.Ordinal);
}
