using ProcurementBot.Rollups;
using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>Rollups (pk <c>rollup:{key}</c>): one document per supplier or category and month, read and written by point operations.</summary>
internal sealed partial class CosmosStore
{
    public async Task<Rollup?> GetRollupAsync(string key, CancellationToken cancellationToken) =>
        await ReadAsync(key, Keys.Rollup(key), cancellationToken) is { } stored ? stored.As<Rollup>() with { ETag = stored.ETag } : null;

    public async Task<Rollup?> TrySaveRollupAsync(Rollup rollup, CancellationToken cancellationToken) =>
        await TrySaveEntityAsync(rollup.Key, Keys.Rollup(rollup.Key), Types.Rollup, rollup.ETag, StoreJson.Serialize(rollup), cancellationToken) is { } etag
            ? rollup with { ETag = etag }
            : null;
}
