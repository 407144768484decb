using Microsoft.Data.Sqlite;
using ProcurementBot.Storage;
using ProcurementBot.Storage.Sqlite;

namespace ProcurementBot.Tests.Storage;

/// <summary>The store contract on the embedded SQLite store: a fresh file per test, removed afterwards.</summary>
public sealed class SqliteStoreContractTests : StoreContract
{
    private readonly string _connectionString =
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(Path.GetTempPath(), $"procurementbot-store-{Guid.NewGuid():N}.db") }.ToString();

    protected override Task<IProcurementStore> CreateStoreAsync() => Task.FromResult<IProcurementStore>(new SqliteStore(_connectionString));

    protected override Task<IProcurementStore> ConnectAgainAsync() => Task.FromResult<IProcurementStore>(new SqliteStore(_connectionString));

    protected override Task DeleteStoreAsync()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        var file = new SqliteConnectionStringBuilder(_connectionString).DataSource;
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }

        return Task.CompletedTask;
    }
}
