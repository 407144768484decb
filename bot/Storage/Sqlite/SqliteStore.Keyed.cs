using ProcurementBot.Rollups;

namespace ProcurementBot.Storage.Sqlite;

/// <summary>
/// Documents kept by key with an ETag and nothing queried but the key (supplier signals, rollups): read by
/// key, inserted once, then replaced only with the ETag that was read.
/// </summary>
internal sealed partial class SqliteStore
{
    private static readonly KeyedTable SupplierSignalsTable = new("supplier_signals", "supplier_key");
    private static readonly KeyedTable RollupsTable = new("rollups", "key");

    public async Task<Rollup?> GetRollupAsync(string key, CancellationToken cancellationToken) =>
        await GetKeyedAsync(RollupsTable, key, cancellationToken) is { } stored ? stored.As<Rollup>() with { ETag = stored.ETag } : null;

    public async Task<Rollup?> TrySaveRollupAsync(Rollup rollup, CancellationToken cancellationToken) =>
        await TrySaveKeyedAsync(RollupsTable, rollup.Key, rollup.ETag, StoreJson.Serialize(rollup), cancellationToken) is { } etag
            ? rollup with { ETag = etag }
            : null;

    /// <summary>A table of <c>({key column} TEXT PRIMARY KEY, etag, doc)</c>; names are constants of this class, never input.</summary>
    private sealed record KeyedTable(string Name, string KeyColumn);

    /// <summary>A stored document: its JSON and ETag.</summary>
    private sealed record Keyed(string Json, string ETag)
    {
        public T As<T>() => StoreJson.Deserialize<T>(Json);
    }

    private async Task<Keyed?> GetKeyedAsync(KeyedTable table, string key, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT doc, etag FROM {table.Name} WHERE {table.KeyColumn} = $key;",
            reader => new Keyed(reader.GetString(0), reader.GetString(1)),
            cancellationToken, ("$key", key))).FirstOrDefault();

    /// <summary>
    /// Inserts when <paramref name="etag"/> is empty (null if the key exists), otherwise replaces only if the
    /// stored ETag still equals it (null on conflict). Returns the new ETag.
    /// </summary>
    private async Task<string?> TrySaveKeyedAsync(KeyedTable table, string key, string etag, string doc, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var next = StoreJson.NewETag();
        var sql = etag.Length == 0
            ? $"INSERT OR IGNORE INTO {table.Name} ({table.KeyColumn}, etag, doc) VALUES ($key, $etag, $doc);"
            : $"UPDATE {table.Name} SET etag = $etag, doc = $doc WHERE {table.KeyColumn} = $key AND etag = $old;";
        var rows = await ExecuteAsync(session.Connection, null, sql, cancellationToken,
            ("$key", key), ("$etag", next), ("$old", etag), ("$doc", doc));
        return rows == 1 ? next : null;
    }
}
