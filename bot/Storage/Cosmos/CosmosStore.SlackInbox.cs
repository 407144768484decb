using ProcurementBot.Slack;
using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// Slack events and clicks acknowledged and not yet handled: one document per item (its <c>doc</c> inline, so
/// <c>done</c> can be queried) in the shard <c>slackinbox:{n}</c> of its lane, so a person's items share a partition
/// and their order is read with one single-partition query. A create that meets the id (409) is a retry. A claim reads
/// the open items of every shard, takes the oldest of each lane, and leases it with its ETag; a done item gets a
/// <c>ttl</c> of <see cref="SlackItem.KeptDone"/>, so Cosmos DB forgets it.
/// </summary>
internal sealed partial class CosmosStore
{
    private const string OpenSlackItems = "SELECT * FROM c WHERE c.pk = @pk AND c.type = @type AND c.doc.done = false";

    public async Task<bool> TryAddSlackItemAsync(SlackItem item, CancellationToken cancellationToken) =>
        await WriteAsync(Write.Create, item.Id, SlackShard(item), Types.SlackItem, StoreJson.Serialize(item), cancellationToken, inlineDoc: true) is not null;

    public async Task<IReadOnlyList<SlackItem>> ClaimSlackItemsAsync(
        DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        var heads = (await ReadOpenSlackItemsAsync(cancellationToken))
            .GroupBy(i => i.Lane, StringComparer.Ordinal)
            .Select(lane => lane.OrderBy(i => i.Sequence).ThenBy(i => i.Id, StringComparer.Ordinal).First())
            .Where(i => i.IsClaimable(now))
            .OrderBy(i => i.Sequence).ThenBy(i => i.Id, StringComparer.Ordinal);

        var claimed = new List<SlackItem>();
        foreach (var item in heads)
        {
            if (claimed.Count == max)
            {
                break;
            }

            // Another instance may have leased it since it was read: then the ETag no longer matches, and the next is tried.
            if (await TryReplaceSlackItemAsync(item with { LeaseOwner = owner, LeaseUntil = leaseUntil }, cancellationToken) is { } lease)
            {
                claimed.Add(lease);
            }
        }

        return claimed;
    }

    public async Task<SlackItem?> TryReplaceSlackItemAsync(SlackItem item, CancellationToken cancellationToken)
    {
        int? ttl = item.Done ? (int)SlackItem.KeptDone.TotalSeconds : null;
        var etag = await WriteAsync(Write.Replace, item.Id, SlackShard(item), Types.SlackItem, StoreJson.Serialize(item), cancellationToken,
            ifMatch: item.ETag, inlineDoc: true, ttl: ttl);
        return etag is null ? null : item with { ETag = etag };
    }

    public async Task<int> CountUnfinishedSlackItemsAsync(CancellationToken cancellationToken) =>
        (await ReadOpenSlackItemsAsync(cancellationToken)).Count;

    private async Task<List<SlackItem>> ReadOpenSlackItemsAsync(CancellationToken cancellationToken)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, ScheduleShards).Select(shard =>
            QueryAsync($"{Keys.SlackInbox}:{shard}", OpenSlackItems, cancellationToken, ("@type", Types.SlackItem))));
        return [.. shards.SelectMany(found => found).Select(f => f.As<SlackItem>() with { ETag = f.ETag })];
    }

    private static string SlackShard(SlackItem item) => Keys.Shard(Keys.SlackInbox, item.Lane);
}
