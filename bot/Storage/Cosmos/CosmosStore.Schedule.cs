using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>Claims from a schedule: due check-ins (<c>due:{0..7}</c>) and escalation work (<c>escdue:{0..7}</c>).</summary>
internal sealed partial class CosmosStore
{
    /// <summary>
    /// Queries every shard of <paramref name="schedule"/> for entries due by <paramref name="now"/>, soonest
    /// first, re-reads each entity (the truth) and claims it with its ETag until <paramref name="max"/> are
    /// claimed. A 412 means another instance claimed it first. Entries of entities that are gone or have no
    /// more scheduled work are removed (only if unchanged since the query).
    /// </summary>
    private async Task<IReadOnlyList<T>> ClaimScheduledAsync<T>(
        string schedule, DateTimeOffset now, int max,
        Func<string, Task<T?>> read, Func<T, bool> scheduled, Func<T, bool> claimable, Func<T, Task<T?>> claim,
        CancellationToken cancellationToken)
        where T : class
    {
        var claimed = new List<T>();
        if (max <= 0)
        {
            return claimed;
        }

        var shards = await Task.WhenAll(Enumerable.Range(0, ScheduleShards).Select(async shard =>
        {
            var pk = $"{schedule}:{shard}";
            var due = await QueryAsync(pk, "SELECT * FROM c WHERE c.pk = @pk AND c.doc.at <= @now", cancellationToken, ("@now", now.ToUnixTimeMilliseconds()));
            return due.Select(d => (Pk: pk, Hint: d, Entry: d.As<ScheduleEntry>()));
        }));

        foreach (var (pk, hint, entry) in shards.SelectMany(s => s).OrderBy(e => e.Entry.At).ThenBy(e => e.Entry.Id, StringComparer.Ordinal))
        {
            if (claimed.Count >= max)
            {
                break;
            }

            var current = await read(entry.Id);
            if (current is null || !scheduled(current))
            {
                logger.LogDebug("Removing the stale {Schedule} entry of {Id}", schedule, entry.Id);
                await DeleteAsync(entry.Id, pk, cancellationToken, hint.ETag);
                continue;
            }

            if (claimable(current) && await claim(current) is { } mine)
            {
                claimed.Add(mine);
            }
        }

        return claimed;
    }
}
