using ProcurementBot.Escalations;
using ProcurementBot.Rollups;
using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// Entities kept as one document per key in a partition of their own, touched only by point operations:
/// supplier signals (pk <c>supplier:{key}</c>) and rollups (pk <c>rollups:{yyyy-MM}</c>, the month's rollups
/// together so the summary reads them with one single-partition query). Created once, then replaced only with
/// the ETag that was read.
/// </summary>
internal sealed partial class CosmosStore
{
    private static readonly KeyedEntity<SupplierSignals> SupplierSignalsEntity =
        new(Types.Supplier, Keys.Supplier, s => s.SupplierKey, s => s.ETag, (s, etag) => s with { ETag = etag });

    private static readonly KeyedEntity<Rollup> RollupEntity =
        new(Types.Rollup, key => Keys.Rollups(key[^7..]), r => r.Key, r => r.ETag, (r, etag) => r with { ETag = etag });

    public Task<SupplierSignals?> GetSupplierSignalsAsync(string supplierKey, CancellationToken cancellationToken) =>
        GetKeyedAsync(SupplierSignalsEntity, supplierKey, cancellationToken);

    public Task<SupplierSignals?> TrySaveSupplierSignalsAsync(SupplierSignals signals, CancellationToken cancellationToken) =>
        TrySaveKeyedAsync(SupplierSignalsEntity, signals, cancellationToken);

    public Task<Rollup?> GetRollupAsync(string key, CancellationToken cancellationToken) =>
        GetKeyedAsync(RollupEntity, key, cancellationToken);

    public Task<Rollup?> TrySaveRollupAsync(Rollup rollup, CancellationToken cancellationToken) =>
        TrySaveKeyedAsync(RollupEntity, rollup, cancellationToken);

    public async Task<IReadOnlyList<Rollup>> GetRollupsAsync(string month, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(Keys.Rollups(month), "SELECT * FROM c WHERE c.pk = @pk AND c.type = @type", cancellationToken, ("@type", Types.Rollup)))
            .Select(found => found.As<Rollup>() with { ETag = found.ETag })
            .OrderBy(r => r.Key, StringComparer.Ordinal)];

    /// <summary>A kind of keyed entity: its envelope type, the partition of a key, and how to get its key and ETag and set its ETag.</summary>
    private sealed record KeyedEntity<T>(string Type, Func<string, string> PartitionOf, Func<T, string> KeyOf, Func<T, string> ETagOf, Func<T, string, T> WithETag);

    private async Task<T?> GetKeyedAsync<T>(KeyedEntity<T> entity, string key, CancellationToken cancellationToken)
        where T : class =>
        await ReadAsync(key, entity.PartitionOf(key), cancellationToken) is { } stored ? entity.WithETag(stored.As<T>(), stored.ETag) : null;

    /// <summary>
    /// Creates the document when its ETag is empty (null if the id exists), otherwise replaces it only if
    /// unchanged (null on conflict). Returns the document with its new ETag.
    /// </summary>
    private async Task<T?> TrySaveKeyedAsync<T>(KeyedEntity<T> entity, T document, CancellationToken cancellationToken)
        where T : class
    {
        var (key, old) = (entity.KeyOf(document), entity.ETagOf(document));
        var json = StoreJson.Serialize(document);
        var etag = old.Length == 0
            ? await WriteAsync(Write.Create, key, entity.PartitionOf(key), entity.Type, json, cancellationToken)
            : await WriteAsync(Write.Replace, key, entity.PartitionOf(key), entity.Type, json, cancellationToken, ifMatch: old);
        return etag is null ? null : entity.WithETag(document, etag);
    }
}
