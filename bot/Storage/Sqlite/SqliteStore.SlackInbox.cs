using Microsoft.Data.Sqlite;
using ProcurementBot.Slack;

namespace ProcurementBot.Storage.Sqlite;

/// <summary>
/// Slack events and clicks acknowledged and not yet handled (table <c>slack_inbox</c>). Adding one is a durable
/// write committed with whatever else is being written; claiming runs in an immediate transaction, as the check-in
/// claims do, so two claimers never take the same row (nor two items of one lane), and forgets items done more than
/// <see cref="SlackItem.KeptDone"/> ago.
/// </summary>
internal sealed partial class SqliteStore
{
    public async Task<bool> TryAddSlackItemAsync(SlackItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var etag = StoreJson.NewETag();
        var rows = await WriteGroupedAsync(
            """
            INSERT OR IGNORE INTO slack_inbox (id, lane, seq, done, next_at, lease_until, done_at, etag, doc)
            VALUES ($id, $lane, $seq, $done, $next, $lease, $doneAt, $etag, $doc);
            """,
            [.. SlackItemColumns(item with { ETag = etag })]);
        return rows == 1;
    }

    public async Task<IReadOnlyList<SlackItem>> ClaimSlackItemsAsync(
        DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;
        await using var tx = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, tx, "DELETE FROM slack_inbox WHERE done = 1 AND done_at < $before;", cancellationToken,
            ("$before", (now - SlackItem.KeptDone).ToUnixTimeMilliseconds()));

        var open = new List<SlackItem>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText =
                """
                SELECT i.doc, i.etag FROM slack_inbox i
                WHERE i.done = 0 AND i.next_at <= $now AND (i.lease_until IS NULL OR i.lease_until <= $now)
                  AND NOT EXISTS (
                    SELECT 1 FROM slack_inbox o
                    WHERE o.done = 0 AND o.lane = i.lane AND o.id <> i.id
                      AND (o.seq < i.seq OR (o.seq = i.seq AND o.id < i.id) OR o.lease_until > $now))
                ORDER BY i.seq, i.id LIMIT $max;
                """;
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$max", max);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                open.Add(ReadSlackItem(reader));
            }
        }

        var claimed = new List<SlackItem>(open.Count);
        foreach (var item in open)
        {
            var lease = item.Leased(owner, leaseUntil) with { ETag = StoreJson.NewETag() };
            await ExecuteAsync(connection, tx, "UPDATE slack_inbox SET lease_until = $lease, etag = $etag, doc = $doc WHERE id = $id;", cancellationToken,
                [.. SlackItemColumns(lease)]);
            claimed.Add(lease);
        }

        await tx.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<SlackItem?> TryReplaceSlackItemAsync(SlackItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var replaced = item with { ETag = StoreJson.NewETag() };
        var rows = await WriteGroupedAsync(
            """
            UPDATE slack_inbox SET done = $done, next_at = $next, lease_until = $lease, done_at = $doneAt, etag = $etag, doc = $doc
            WHERE id = $id AND etag = $old;
            """,
            [.. SlackItemColumns(replaced), ("$old", item.ETag)]);
        return rows == 1 ? replaced : null;
    }

    public async Task<int> CountUnfinishedSlackItemsAsync(CancellationToken cancellationToken) =>
        Convert.ToInt32(await ScalarAsync("SELECT count(*) FROM slack_inbox WHERE done = 0;", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<(string Name, object? Value)> SlackItemColumns(SlackItem item) =>
    [
        ("$id", item.Id), ("$lane", item.Lane), ("$seq", item.Sequence), ("$done", item.Done ? 1 : 0),
        ("$next", item.NextAttemptAt.ToUnixTimeMilliseconds()), ("$lease", item.LeaseUntil?.ToUnixTimeMilliseconds()),
        ("$doneAt", item.DoneAt?.ToUnixTimeMilliseconds()), ("$etag", item.ETag), ("$doc", StoreJson.Serialize(item)),
    ];

    private static SlackItem ReadSlackItem(SqliteDataReader reader) =>
        StoreJson.Deserialize<SlackItem>(reader.GetString(0)) with { ETag = reader.GetString(1) };
}
