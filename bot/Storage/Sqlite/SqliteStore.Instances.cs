namespace ProcurementBot.Storage.Sqlite;

/// <summary>Heartbeats of the bot instances sharing this file (table <c>instances</c>).</summary>
internal sealed partial class SqliteStore
{
    // Rows expired this long before a heartbeat are deleted by it, so the table holds about the live instances.
    private static readonly TimeSpan KeepExpired = TimeSpan.FromDays(1);

    public async Task HeartbeatAsync(string instanceId, DateTimeOffset until, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await WriteGroupedAsync(
            "INSERT INTO instances (id, until) VALUES ($id, $until) ON CONFLICT (id) DO UPDATE SET until = excluded.until;",
            ("$id", instanceId), ("$until", until.ToUnixTimeMilliseconds()));
        await WriteGroupedAsync("DELETE FROM instances WHERE until < $before;", ("$before", (until - KeepExpired).ToUnixTimeMilliseconds()));
    }

    public async Task<IReadOnlyList<string>> GetLiveInstancesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = await ListAsync("SELECT id FROM instances WHERE until > $now;", cancellationToken, ("$now", now.ToUnixTimeMilliseconds()));
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }
}
