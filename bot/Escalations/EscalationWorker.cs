using Microsoft.Extensions.Options;
using ProcurementBot.CheckIns;
using ProcurementBot.People;
using ProcurementBot.Rollups;
using ProcurementBot.Storage;

namespace ProcurementBot.Escalations;

/// <summary>
/// Posts raised escalations to their channel, reminds in the thread when nobody acknowledged in time,
/// and marks unresolved ones overdue. Each escalation is claimed with a lease first, so with several
/// bot instances only one does each step, and a crashed instance's work is picked up when its lease ends.
/// </summary>
public sealed class EscalationWorker(
    IProcurementStore store,
    FinishedCheckIns finishes,
    IEnumerable<IEscalationAdapter> channels,
    IEnumerable<IChannelGateway> gateways,
    EscalationAdmins admins,
    PeopleDirectory people,
    ResultRollups rollups,
    TimeProvider clock,
    IOptions<EscalationOptions> options,
    ILogger<EscalationWorker> logger)
{
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// Does what is due now: first raises what finished check-ins left pending (so their escalations are posted in
    /// this same round), then posts, reminds and marks overdue. Returns how many check-ins and escalations were handled.
    /// </summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var announced = await finishes.SweepAsync(cancellationToken);
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var claimed = await store.ClaimEscalationWorkAsync(now, _owner, now + settings.LeaseDuration, settings.BatchSize, cancellationToken);
        foreach (var escalation in claimed)
        {
            Escalation next;
            try
            {
                next = escalation.Card is null
                    ? await PostAsync(escalation, cancellationToken)
                    : await FollowUpAsync(escalation, clock.GetUtcNow(), settings, cancellationToken);
                next = next with { NextActionAt = EscalationService.NextAction(next, settings) };
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Try again later; the lease is released so any instance can.
                logger.LogWarning(ex, "Escalation {EscalationId} could not be handled now; retrying in a minute", escalation.Id);
                next = escalation with { NextActionAt = clock.GetUtcNow().AddMinutes(1) };
            }

            var saved = await store.TryReplaceEscalationAsync(next with { LeaseOwner = null, LeaseUntil = null }, cancellationToken);
            if (saved is null)
            {
                // A buyer acted meanwhile; their write stands, and it carries its own next action time.
                logger.LogInformation("Escalation {EscalationId} changed while this instance worked on it", escalation.Id);
            }
            else if (saved.OverdueSince is not null && escalation.OverdueSince is null)
            {
                await rollups.RecordEscalationAsync(saved, cancellationToken);
                await ShowOverdueAsync(saved, cancellationToken);
            }
            else if (saved.AwaitingChannel)
            {
                await ReleaseIfRegisteredMeanwhileAsync(saved, cancellationToken);
            }
        }

        return announced + claimed.Count;
    }

    private async Task<Escalation> PostAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        var channel = EscalationService.ChannelFor(escalation, await store.GetEscalationDestinationsAsync(cancellationToken));
        if (channel is null)
        {
            logger.LogWarning("Escalation {EscalationId} waits: no escalation channel is registered", escalation.Id);
            return escalation with { AwaitingChannel = true, AdminsToldAt = escalation.AdminsToldAt ?? await TellAdminsOnceADayAsync(escalation, cancellationToken) };
        }

        var adapter = channels.FirstOrDefault(c => c.Handles(channel.ChannelId))
            ?? throw new InvalidOperationException($"No adapter posts to {channel.ChannelId} channels.");
        var buyer = escalation.Purchase?.BuyerEmail is { } email ? await people.FindByAddressAsync(email, cancellationToken) : null;
        var card = await adapter.PostAsync(channel, escalation, buyer, cancellationToken);
        logger.LogInformation("Posted escalation {EscalationId} to {Conversation}", escalation.Id, card.ConversationId);
        return escalation with { Card = card, AwaitingChannel = false };
    }

    /// <summary>
    /// A channel registered after this instance found none, but before it marked the escalation waiting, released
    /// nothing: registration writes the channel before it looks for waiting escalations, so looking again here closes the gap.
    /// </summary>
    private async Task ReleaseIfRegisteredMeanwhileAsync(Escalation waiting, CancellationToken cancellationToken)
    {
        if (EscalationService.ChannelFor(waiting, await store.GetEscalationDestinationsAsync(cancellationToken)) is not null)
        {
            await store.TryReplaceEscalationAsync(waiting with { AwaitingChannel = false, NextActionAt = clock.GetUtcNow() }, cancellationToken);
        }
    }

    private async Task<Escalation> FollowUpAsync(Escalation escalation, DateTimeOffset now, EscalationOptions settings, CancellationToken cancellationToken)
    {
        var adapter = channels.FirstOrDefault(c => c.Handles(escalation.Card!.Channel))
            ?? throw new InvalidOperationException($"No adapter serves {escalation.Card!.Channel} channels.");
        var result = escalation;
        if (result.Status == EscalationStatus.Open && result.ReminderSentAt is null && now >= result.CreatedAt + settings.AcknowledgeWithin)
        {
            var buyer = result.Purchase?.BuyerEmail is { } email ? await people.FindByAddressAsync(email, cancellationToken) : null;
            await adapter.ReplyInThreadAsync(result, $"Reminder: nobody has acknowledged this escalation in {Describe(settings.AcknowledgeWithin)}.", buyer, cancellationToken);
            result = result with { ReminderSentAt = now };
        }

        if (result.Status != EscalationStatus.Resolved && result.OverdueSince is null && now >= result.CreatedAt + settings.ResolveWithin)
        {
            // The card is redrawn once this is saved (see ProcessDueAsync), never from a copy a buyer may have changed.
            result = result with { OverdueSince = now };
        }

        return result;
    }

    private async Task ShowOverdueAsync(Escalation saved, CancellationToken cancellationToken)
    {
        try
        {
            await channels.First(c => c.Handles(saved.Card!.Channel)).UpdateAsync(saved, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // It is recorded as overdue; the card shows it on its next update.
            logger.LogWarning(ex, "Could not mark the card of escalation {EscalationId} overdue", saved.Id);
        }
    }

    /// <summary>
    /// Tells the admins that escalations wait for a channel, unless they were told about another waiting one
    /// within the last day: a burst of bad answers should not become a burst of messages. Returns when they were told.
    /// </summary>
    private async Task<DateTimeOffset?> TellAdminsOnceADayAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lastTold = (await store.GetEscalationsAwaitingChannelAsync(cancellationToken))
            .Select(e => e.AdminsToldAt).Where(t => t is not null).Max();
        if (lastTold is { } told && now - told < TimeSpan.FromDays(1))
        {
            return told;
        }

        return await TellAdminsAsync(escalation, cancellationToken) ? now : null;
    }

    private async Task<bool> TellAdminsAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        var told = false;
        foreach (var email in admins.Emails)
        {
            var admin = await people.FindByAddressAsync(email, cancellationToken);
            if (admin is null || gateways.FirstOrDefault(g => g.CanReach(admin)) is not { } gateway)
            {
                continue;
            }

            try
            {
                await gateway.SendAsync(admin,
                [
                    new TextReply($"An escalation about {escalation.Supplier} is waiting because no procurement channel is registered. " +
                        "Say **@ProcurementBot escalate here** in the channel that should receive escalations."),
                ], cancellationToken);
                told = true;
            }
            catch (DeliveryException ex)
            {
                logger.LogWarning(ex, "Could not tell admin {PersonId} about waiting escalations", admin.Id);
            }
        }

        return told;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? $"{span.TotalDays:0} day{(span.TotalDays == 1 ? "" : "s")}"
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0} hour{(span.TotalHours == 1 ? "" : "s")}"
        : $"{span.TotalMinutes:0} minutes";
}
