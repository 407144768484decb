using Microsoft.Data.Sqlite;
using ProcurementBot.CheckIns;
using ProcurementBot.Storage.Sqlite;

namespace ProcurementBot.Tests.Crash;

/// <summary>
/// What crash tests ask of a bot process beside it: its SQLite file read as another instance would (never through the
/// bot, which may be dead), waits on that file with a deadline, and requests sent as the channel does, noting whether
/// the bot acknowledged them.
/// </summary>
internal static class BotData
{
    public static async Task<T> ReadAsync<T>(BotProcess bot, Func<SqliteStore, Task<T>> read)
    {
        // No pooling: a connection kept open across the bot's kill and restart would outlive the file's other users.
        using var store = new SqliteStore($"Data Source={Path.Combine(bot.DataFolder, "bot.db")};Pooling=False");
        return await read(store);
    }

    /// <summary>
    /// Kills the bot the moment at least <paramref name="count"/> check-ins have <paramref name="status"/>, at its next
    /// write: from that moment the test holds the SQLite file's write lock, as another instance's long write would, so
    /// the bot's next write waits (its busy timeout is longer than this) and the kill finds it between two writes.
    /// One open connection and a count in SQL, polled without pause: the moment is a fraction of a millisecond wide.
    /// </summary>
    public static async Task KillAtNextWriteAsync(BotProcess bot, CheckInStatus status, int count, TimeSpan bound)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(bot.DataFolder, "bot.db")};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            // Its own command: a pragma that sets a value answers with a row, which a scalar read would take for the count.
            pragma.CommandText = "PRAGMA busy_timeout = 10000;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var poll = connection.CreateCommand();
        poll.CommandText = "SELECT count(*) FROM check_ins WHERE status = $status;";
        poll.Parameters.AddWithValue("$status", status.ToString());
        var deadline = DateTime.UtcNow + bound;
        while (Convert.ToInt32(await poll.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Fewer than {count} check-ins got to {status} before the kill.\n{bot.Output}");
        }

        await using var hold = connection.CreateCommand();
        hold.CommandText = "BEGIN IMMEDIATE;";
        await hold.ExecuteNonQueryAsync();
        bot.Kill();
        // Disposing the connection rolls the empty transaction back and frees the file.
    }

    /// <summary>The check-ins of <paramref name="ids"/>, in that order; null for one the store does not have.</summary>
    public static Task<List<CheckIn?>> CheckInsAsync(BotProcess bot, IEnumerable<string> ids) =>
        ReadAsync(bot, async store =>
        {
            var found = new List<CheckIn?>();
            foreach (var id in ids)
            {
                found.Add(await store.GetCheckInAsync(id, default));
            }

            return found;
        });

    /// <summary>
    /// Polls until every check-in of <paramref name="ids"/> meets <paramref name="condition"/>; fails after
    /// <paramref name="bound"/> naming those that did not, with <paramref name="describe"/> (the counts so far).
    /// </summary>
    public static async Task<IReadOnlyList<CheckIn>> WaitForAllAsync(
        BotProcess bot, IReadOnlyList<string> ids, Func<CheckIn, bool> condition, TimeSpan bound, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var checkIns = await CheckInsAsync(bot, ids);
            var behind = ids.Zip(checkIns).Where(p => p.Second is null || !condition(p.Second)).Select(p => $"{p.First} ({p.Second?.Status.ToString() ?? "missing"})").ToList();
            if (behind.Count == 0)
            {
                return [.. checkIns.Select(c => c!)];
            }

            Assert.True(DateTime.UtcNow < deadline, $"{behind.Count} check-ins did not get there within {bound.TotalSeconds:0} s: {string.Join(", ", behind.Take(10))}.\n{describe()}\n{bot.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Posts the activity as the channel does: acknowledged means the bot answered 2xx; a kill in flight is not.</summary>
    public static async Task<bool> AcknowledgedAsync(BotProcess bot, JsonObject activity)
    {
        try
        {
            // A copy: the channel sends the same bytes again on a retry, and serialising the node twice from two threads is not safe.
            using var response = await bot.SendAsync(activity.DeepClone().AsObject());
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            // The client's timeout: the bot never answered.
            return false;
        }
    }

    /// <summary>Polls the month's summary through the bot's admin API until <paramref name="supplier"/>'s line meets <paramref name="condition"/>, bounded.</summary>
    public static async Task<JsonNode> WaitForSupplierLineAsync(
        BotProcess bot, string month, string supplier, Func<JsonNode?, bool> condition, TimeSpan bound, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var summary = await bot.GetAdminAsync($"api/admin/summary?from={month}&to={month}");
            var line = summary!["suppliers"]!.AsArray().FirstOrDefault(l => l!["name"]!.GetValue<string>() == supplier);
            if (condition(line))
            {
                return line!;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The supplier's line in the summary did not get there: {line?.ToJsonString() ?? "no line"}.\n{describe()}\n{bot.Output}");
            await Task.Delay(100);
        }
    }
}
