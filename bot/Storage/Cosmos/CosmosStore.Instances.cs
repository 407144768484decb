using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// Heartbeats of the bot instances: one small document per instance in the partition <c>instances</c>, read
/// with one single-partition query. Each carries a <c>ttl</c> an hour past its expiry so Cosmos DB removes
/// instances that stopped long ago; the query itself filters by expiry.
/// </summary>
internal sealed partial class CosmosStore
{
    private static readonly TimeSpan KeepExpired = TimeSpan.FromHours(1);

    public async Task HeartbeatAsync(string instanceId, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var ttl = (int)Math.Clamp(Math.Ceiling((until - clock.GetUtcNow() + KeepExpired).TotalSeconds), 1, int.MaxValue);
        var heartbeat = StoreJson.Serialize(new InstanceHeartbeat(instanceId, until.ToUnixTimeMilliseconds()));
        await WriteAsync(Write.Upsert, instanceId, Keys.Instances, Types.Instance, heartbeat, cancellationToken, inlineDoc: true, ttl: ttl);
    }

    public async Task<IReadOnlyList<string>> GetLiveInstancesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = await QueryAsync(Keys.Instances, "SELECT * FROM c WHERE c.pk = @pk AND c.doc.until > @now", cancellationToken,
            ("@now", now.ToUnixTimeMilliseconds()));
        return [.. live.Select(d => d.As<InstanceHeartbeat>().InstanceId).Order(StringComparer.Ordinal)];
    }
}
