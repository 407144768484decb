using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace ProcurementBot.Tests.Fuzzing;

/// <summary>
/// What a bot's SQLite file holds, as one comparable text: each table's row count and a hash of its rows. Read through a
/// connection of its own, so a refused request can be shown to have changed nothing at all.
/// </summary>
public sealed class StoreSnapshot(string connectionString, IReadOnlySet<string>? ignoredTables = null)
{
    public static StoreSnapshot Of(BotApp app, params string[] ignoredTables) =>
        new(app.Services.GetRequiredService<IConfiguration>()["Storage:Sqlite:ConnectionString"]
            ?? throw new InvalidOperationException("The fixture has no SQLite store."), new HashSet<string>(ignoredTables));

    public async Task<string> TakeAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var summary = new StringBuilder();
        foreach (var table in tables.Where(t => ignoredTables?.Contains(t) != true))
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\u001F');
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001E', rows))))[..12];
            summary.Append(table).Append('=').Append(rows.Count).Append('/').Append(hash).Append(' ');
        }

        return summary.ToString();
    }
}
