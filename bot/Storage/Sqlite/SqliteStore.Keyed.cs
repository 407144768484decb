using ProcurementBot.Escalations;
using ProcurementBot.Rollups;

namespace ProcurementBot.Storage.Sqlite;

/// <summary>
/// Documents kept by key with an ETag and nothing queried but the key (supplier signals, rollups): read by
/// key, inserted once, then replaced only with the ETag that was read.
/// </summary>
internal sealed partial class SqliteStore
{
    private static readonly KeyedTable<SupplierSignals> SupplierSignalsTable =
        new("supplier_signals", "supplier_key", s => s.SupplierKey, s => s.ETag, (s, etag) => s with { ETag = etag });

    private static readonly KeyedTable<Rollup> RollupsTable =
        new("rollups", "key", r => r.Key, r => r.ETag, (r, etag) => r with { ETag = etag });

    public Task<SupplierSignals?> GetSupplierSignalsAsync(string supplierKey, CancellationToken cancellationToken) =>
        GetKeyedAsync(SupplierSignalsTable, supplierKey, cancellationToken);

    public Task<SupplierSignals?> TrySaveSupplierSignalsAsync(SupplierSignals signals, CancellationToken cancellationToken) =>
        TrySaveKeyedAsync(SupplierSignalsTable, signals, cancellationToken);

    public Task<Rollup?> GetRollupAsync(string key, CancellationToken cancellationToken) =>
        GetKeyedAsync(RollupsTable, key, cancellationToken);

    public Task<Rollup?> TrySaveRollupAsync(Rollup rollup, CancellationToken cancellationToken) =>
        TrySaveKeyedAsync(RollupsTable, rollup, cancellationToken);

    // Keys end in the month (Rollup.KeyFor); the table holds two rows per supplier or category and month,
    // few enough to scan for the admin summary.
    public async Task<IReadOnlyList<Rollup>> GetRollupsAsync(string month, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT doc, etag FROM rollups WHERE substr(key, -7) = $month ORDER BY key;",
            reader => RollupsTable.WithETag(StoreJson.Deserialize<Rollup>(reader.GetString(0)), reader.GetString(1)),
            cancellationToken, ("$month", month));

    /// <summary>
    /// A table of <c>({key column} TEXT PRIMARY KEY, etag, doc)</c> holding documents of type <typeparamref name="T"/>,
    /// and how to get a document's key and ETag and set its ETag. Names are constants of this class, never input.
    /// </summary>
    private sealed record KeyedTable<T>(string Name, string KeyColumn, Func<T, string> KeyOf, Func<T, string> ETagOf, Func<T, string, T> WithETag);

    private async Task<T?> GetKeyedAsync<T>(KeyedTable<T> table, string key, CancellationToken cancellationToken)
        where T : class =>
        (await QueryAsync(
            $"SELECT doc, etag FROM {table.Name} WHERE {table.KeyColumn} = $key;",
            reader => table.WithETag(StoreJson.Deserialize<T>(reader.GetString(0)), reader.GetString(1)),
            cancellationToken, ("$key", key))).FirstOrDefault();

    /// <summary>
    /// Inserts when the document's ETag is empty (null if the key exists), otherwise replaces it only if the
    /// stored ETag still equals it (null on conflict). Returns the document with its new ETag.
    /// </summary>
    private async Task<T?> TrySaveKeyedAsync<T>(KeyedTable<T> table, T document, CancellationToken cancellationToken)
        where T : class
    {
        // Written on every finished check-in (rollups): committed together with other writes arriving meanwhile.
        cancellationToken.ThrowIfCancellationRequested();
        var etag = StoreJson.NewETag();
        var old = table.ETagOf(document);
        var sql = old.Length == 0
            ? $"INSERT OR IGNORE INTO {table.Name} ({table.KeyColumn}, etag, doc) VALUES ($key, $etag, $doc);"
            : $"UPDATE {table.Name} SET etag = $etag, doc = $doc WHERE {table.KeyColumn} = $key AND etag = $old;";
        var rows = await WriteGroupedAsync(sql,
            ("$key", table.KeyOf(document)), ("$etag", etag), ("$old", old), ("$doc", StoreJson.Serialize(document)));
        return rows == 1 ? table.WithETag(document, etag) : null;
    }
}
