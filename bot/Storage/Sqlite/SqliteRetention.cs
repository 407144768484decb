using Microsoft.Extensions.Options;
using ProcurementBot.Hosting;

namespace ProcurementBot.Storage.Sqlite;

/// <summary>
/// <c>Storage:RetentionDays</c> on SQLite, which has no expiry of its own: once an hour, check-ins closed
/// (completed, stopped, expired, failed, opted out) longer ago than that are deleted with their answers —
/// what Cosmos DB's TTL does for the Cosmos store. Rollups keep their counts; escalations stay for procurement.
/// </summary>
internal sealed class SqliteRetention(SqliteStore store, IOptions<StorageOptions> options, TimeProvider clock, ILogger<SqliteRetention> logger)
    : PollingService(clock, logger)
{
    protected override bool Enabled => options.Value.RetentionDays is not null;

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    // One round a tick: the delete is a single statement however much it removes.
    protected override int BatchSize => int.MaxValue;

    protected override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = Clock.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays!.Value);
        var deleted = await store.DeleteClosedCheckInsAsync(cutoff, cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Retention: deleted {Count} check-ins closed before {Cutoff}", deleted, cutoff);
        }

        return deleted;
    }
}
