using System.Text.Json;
using ProcurementBot.Slack;
using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// Slack events and clicks acknowledged and not yet handled: one document per item (its <c>doc</c> inline, so it can
/// be queried) in the shard <c>slackinbox:{n}</c> of its id, so an id is one document whichever lane a retry names and
/// a create that meets it (409) is a retry. A claim reads a few fields of the open items of every shard, takes the
/// oldest of each lane whose lane holds no lease, then reads it whole and leases it with its ETag; a done item gets a
/// <c>ttl</c> of <see cref="SlackItem.KeptDone"/>, so Cosmos DB forgets it.
/// </summary>
internal sealed partial class CosmosStore
{
    private const string OpenSlackItems =
        "SELECT c.id, c._etag, c.doc.lane, c.doc.sequence, c.doc.nextAttemptAt, c.doc.leaseUntil FROM c WHERE c.pk = @pk AND c.type = @type AND c.doc.done = false";

    // Counted here rather than with COUNT(1): an aggregate needs the gateway's query plan, which the local
    // emulator the tests run against does not give; the ids alone are a small read.
    private const string CountOpenSlackItems = "SELECT c.id FROM c WHERE c.pk = @pk AND c.type = @type AND c.doc.done = false";

    public async Task<bool> TryAddSlackItemAsync(SlackItem item, CancellationToken cancellationToken) =>
        await WriteAsync(Write.Create, item.Id, SlackShard(item.Id), Types.SlackItem, StoreJson.Serialize(item), cancellationToken, inlineDoc: true) is not null;

    public async Task<IReadOnlyList<SlackItem>> ClaimSlackItemsAsync(
        DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        var open = await QueryShardsAsync(OpenSlackItems, item => new OpenSlackItem(
            item.GetProperty("id").GetString()!,
            item.GetProperty("_etag").GetString()!,
            item.GetProperty("lane").GetString()!,
            item.GetProperty("sequence").GetInt64(),
            item.GetProperty("nextAttemptAt").GetDateTimeOffset(),
            item.TryGetProperty("leaseUntil", out var lease) && lease.ValueKind == JsonValueKind.String ? lease.GetDateTimeOffset() : null), cancellationToken);
        var heads = open
            .GroupBy(i => i.Lane, StringComparer.Ordinal)
            .Where(lane => !lane.Any(i => i.LeaseUntil > now))
            .Select(lane => lane.OrderBy(i => i.Sequence).ThenBy(i => i.Id, StringComparer.Ordinal).First())
            .Where(i => i.NextAttemptAt <= now)
            .OrderBy(i => i.Sequence).ThenBy(i => i.Id, StringComparer.Ordinal);

        var claimed = new List<SlackItem>();
        foreach (var head in heads)
        {
            if (claimed.Count == max)
            {
                break;
            }

            // Another instance may have leased or finished it since it was read: then its ETag moved, and the next is tried.
            var pk = SlackShard(head.Id);
            if (await ReadAsync(head.Id, pk, cancellationToken) is not { } stored || stored.ETag != head.ETag)
            {
                continue;
            }

            var item = stored.As<SlackItem>() with { ETag = stored.ETag };
            if (item.IsClaimable(now) && await TryReplaceSlackItemAsync(item.Leased(owner, leaseUntil), cancellationToken) is { } leased)
            {
                claimed.Add(leased);
            }
        }

        return claimed;
    }

    public async Task<SlackItem?> TryReplaceSlackItemAsync(SlackItem item, CancellationToken cancellationToken)
    {
        int? ttl = item.Done ? (int)SlackItem.KeptDone.TotalSeconds : null;
        var etag = await WriteAsync(Write.Replace, item.Id, SlackShard(item.Id), Types.SlackItem, StoreJson.Serialize(item), cancellationToken,
            ifMatch: item.ETag, inlineDoc: true, ttl: ttl);
        return etag is null ? null : item with { ETag = etag };
    }

    public async Task<int> CountUnfinishedSlackItemsAsync(CancellationToken cancellationToken) =>
        (await QueryShardsAsync(CountOpenSlackItems, item => item, cancellationToken)).Count;

    /// <summary>The same query in every shard of the inbox at once, each result read by <paramref name="read"/>.</summary>
    private async Task<List<T>> QueryShardsAsync<T>(string sql, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, ScheduleShards).Select(shard =>
            QueryElementsAsync($"{Keys.SlackInbox}:{shard}", sql, cancellationToken, ("@type", Types.SlackItem))));
        return [.. shards.SelectMany(found => found).Select(read)];
    }

    private static string SlackShard(string itemId) => Keys.Shard(Keys.SlackInbox, itemId);

    /// <summary>What a claim needs to know of an open item before reading it whole.</summary>
    private sealed record OpenSlackItem(string Id, string ETag, string Lane, long Sequence, DateTimeOffset NextAttemptAt, DateTimeOffset? LeaseUntil);
}
