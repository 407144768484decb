using Microsoft.Extensions.Options;
using ProcurementBot.Hosting;
using ProcurementBot.Storage;

namespace ProcurementBot.BotFramework.Pacing;

/// <summary>
/// Every <see cref="PacingOptions.HeartbeatInterval"/>, records in the store that this instance is alive for
/// <see cref="PacingOptions.InstanceTimeout"/> and gives the pacer its share of the app limit among the live
/// instances. An instance that stops says so at once; one that dies drops out when its heartbeat expires.
/// Until its first round an instance counts itself alone.
/// </summary>
internal sealed class InstanceRegistry(
    IProcurementStore store, ConnectorPacer pacer, IOptions<PacingOptions> options, TimeProvider clock, ILogger<InstanceRegistry> logger)
    : PollingService(clock, logger)
{
    private int _instances = 1;
    private int _stopped;

    public string InstanceId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.HeartbeatInterval;

    protected override int BatchSize => 1;

    protected override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        await store.HeartbeatAsync(InstanceId, now + options.Value.InstanceTimeout, cancellationToken);
        var live = await store.GetLiveInstancesAsync(now, cancellationToken);
        var rank = IndexOf(live, InstanceId);
        var instances = rank < 0 ? live.Count + 1 : live.Count;
        pacer.SetInstances(rank < 0 ? live.Count : rank, instances);
        if (Interlocked.Exchange(ref _instances, instances) != instances)
        {
            logger.LogInformation("{Instances} bot instances share the connector's app limit; this one sends up to {Share} calls/s", instances, pacer.AppShare);
        }

        return 0;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!options.Value.Enabled || Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            // Leave the count now rather than when the heartbeat expires, so the others take over this share sooner.
            await store.HeartbeatAsync(InstanceId, Clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not take instance {InstanceId} out of the live instances; it drops out when its heartbeat expires", InstanceId);
        }
    }

    private static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (string.Equals(ids[i], id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
