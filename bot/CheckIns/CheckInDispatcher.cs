using Microsoft.Extensions.Options;
using ProcurementBot.Hosting;
using ProcurementBot.People;
using ProcurementBot.Rollups;
using ProcurementBot.Storage;
using ProcurementBot.Surveys;

namespace ProcurementBot.CheckIns;

/// <summary>
/// Sends check-ins that are due. Each one is claimed with a lease first, so several bot instances
/// never send the same check-in at once, and one whose sender died is picked up when the lease ends.
/// </summary>
public sealed class CheckInDispatcher(
    IProcurementStore store,
    QuestionSetCatalog catalog,
    IEnumerable<IChannelGateway> gateways,
    ResultRollups rollups,
    TimeProvider clock,
    IOptions<CheckInOptions> options,
    ILogger<CheckInDispatcher> logger)
{
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Sends what is due now; returns how many check-ins were handled.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var claimed = await store.ClaimDueCheckInsAsync(now, _owner, now + settings.LeaseDuration, settings.BatchSize, cancellationToken);
        await Parallel.ForEachAsync(
            claimed,
            new ParallelOptions { MaxDegreeOfParallelism = settings.SendConcurrency, CancellationToken = cancellationToken },
            async (checkIn, ct) => await SendOneAsync(checkIn, settings, ct));
        return claimed.Count;
    }

    private async Task SendOneAsync(CheckIn checkIn, CheckInOptions settings, CancellationToken cancellationToken)
    {
        var person = await store.FindPersonByAddressAsync(checkIn.RequesterKey, cancellationToken);
        if (person is null)
        {
            logger.LogInformation("Check-in {CheckInId} waits until {Requester} installs the bot", checkIn.Id, checkIn.RequesterKey);
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

        try
        {
            var set = await catalog.GetAsync(checkIn.QuestionSetId, checkIn.QuestionSetVersion, cancellationToken);
            var card = CheckInConversation.CardFor(checkIn, set, BotText.Greeting(person.Name, checkIn.Purchase));
            var ids = await gateway.SendAsync(person, [new CheckInCardReply(card)], cancellationToken);
            var now = clock.GetUtcNow();
            var sent = await SaveAsync(checkIn with
            {
                Status = CheckInStatus.InProgress,
                PersonId = person.Id,
                SentAt = now,
                CardMessageId = ids.Count > 0 ? ids[0] : null,
                SendAttempts = checkIn.SendAttempts + 1,
                LastError = null,
                LeaseOwner = null,
                LeaseUntil = null,
            }, cancellationToken);
            logger.LogInformation("Sent check-in {CheckInId} for purchase {PurchaseId} to {PersonId}", checkIn.Id, checkIn.Purchase.PurchaseId, person.Id);
            if (sent is not null)
            {
                await rollups.RecordSentAsync(sent, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var attempts = checkIn.SendAttempts + 1;
            var giveUp = ex is DeliveryException { Permanent: true } || attempts >= settings.MaxSendAttempts;
            logger.LogWarning(ex, "Sending check-in {CheckInId} to {PersonId} failed (attempt {Attempt}, giving up: {GiveUp})", checkIn.Id, person.Id, attempts, giveUp);
            var backOff = TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, attempts - 1)));
            await SaveAsync(checkIn with
            {
                Status = giveUp ? CheckInStatus.Failed : CheckInStatus.Scheduled,
                PersonId = person.Id,
                DueAt = giveUp ? checkIn.DueAt : clock.GetUtcNow() + backOff,
                SendAttempts = attempts,
                LastError = ex.Message,
                LeaseOwner = null,
                LeaseUntil = null,
            }, cancellationToken);
        }
    }

    private async Task<CheckIn?> SaveAsync(CheckIn checkIn, CancellationToken cancellationToken)
    {
        var saved = await store.TryReplaceCheckInAsync(checkIn, cancellationToken);
        if (saved is null)
        {
            // Someone changed it after our claim (the lease ran out and another instance took over).
            logger.LogWarning("Check-in {CheckInId} changed while this instance held its lease; leaving it to the other writer", checkIn.Id);
        }

        return saved;
    }
}

/// <summary>Runs the dispatcher on every instance, every <see cref="CheckInOptions.PollInterval"/>.</summary>
internal sealed class CheckInDispatchService(CheckInDispatcher dispatcher, IOptions<CheckInOptions> options, TimeProvider clock, ILogger<CheckInDispatchService> logger)
    : PollingService(clock, logger)
{
    protected override bool Enabled => options.Value.DispatcherEnabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => dispatcher.DispatchDueAsync(cancellationToken);
}
