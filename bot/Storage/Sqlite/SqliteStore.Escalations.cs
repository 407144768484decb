using Microsoft.Data.Sqlite;
using ProcurementBot.Escalations;

namespace ProcurementBot.Storage.Sqlite;

/// <summary>Escalations and escalation channels (supplier signals are keyed documents, in SqliteStore.Keyed.cs).</summary>
internal sealed partial class SqliteStore
{
    public async Task<bool> AddEscalationAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var rows = await ExecuteAsync(session.Connection, null,
            """
            INSERT OR IGNORE INTO escalations (id, awaiting_channel, next_action_at, lease_until, etag, doc)
            VALUES ($id, $awaiting, $next, $lease, $etag, $doc);
            """,
            cancellationToken, EscalationColumns(escalation, StoreJson.NewETag()));
        return rows == 1;
    }

    public async Task<Escalation?> GetEscalationAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT doc, etag FROM escalations WHERE id = $id;", ReadEscalation, cancellationToken, ("$id", id))).FirstOrDefault();

    public async Task<Escalation?> TryReplaceEscalationAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var etag = StoreJson.NewETag();
        var rows = await ExecuteAsync(session.Connection, null,
            """
            UPDATE escalations SET awaiting_channel = $awaiting, next_action_at = $next, lease_until = $lease, etag = $etag, doc = $doc
            WHERE id = $id AND etag = $old;
            """,
            cancellationToken, [.. EscalationColumns(escalation, etag), ("$old", escalation.ETag)]);
        return rows == 1 ? escalation with { ETag = etag } : null;
    }

    public async Task<IReadOnlyList<Escalation>> ClaimEscalationWorkAsync(
        DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;
        await using var tx = connection.BeginTransaction(deferred: false);
        var due = new List<Escalation>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText =
                """
                SELECT doc, etag FROM escalations
                WHERE next_action_at IS NOT NULL AND next_action_at <= $now AND (lease_until IS NULL OR lease_until <= $now)
                ORDER BY next_action_at LIMIT $max;
                """;
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$max", max);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(ReadEscalation(reader));
            }
        }

        var claimed = new List<Escalation>(due.Count);
        foreach (var escalation in due)
        {
            var leased = escalation with { LeaseOwner = owner, LeaseUntil = leaseUntil };
            var etag = StoreJson.NewETag();
            await ExecuteAsync(connection, tx,
                "UPDATE escalations SET lease_until = $lease, etag = $etag, doc = $doc WHERE id = $id;",
                cancellationToken,
                ("$id", leased.Id), ("$lease", leaseUntil.ToUnixTimeMilliseconds()), ("$etag", etag), ("$doc", StoreJson.Serialize(leased)));
            claimed.Add(leased with { ETag = etag });
        }

        await tx.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<IReadOnlyList<Escalation>> GetEscalationsAwaitingChannelAsync(CancellationToken cancellationToken) =>
        await QueryAsync("SELECT doc, etag FROM escalations WHERE awaiting_channel = 1 ORDER BY id;", ReadEscalation, cancellationToken);

    public async Task<IReadOnlyList<EscalationDestination>> GetEscalationDestinationsAsync(CancellationToken cancellationToken)
    {
        var docs = await ListAsync("SELECT doc FROM escalation_channels ORDER BY category;", cancellationToken);
        return [.. docs.Select(StoreJson.Deserialize<EscalationDestination>)];
    }

    public async Task SetEscalationDestinationAsync(EscalationDestination channel, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        await ExecuteAsync(session.Connection, null,
            "INSERT INTO escalation_channels (category, doc) VALUES ($category, $doc) ON CONFLICT (category) DO UPDATE SET doc = excluded.doc;",
            cancellationToken,
            ("$category", channel.Category.Trim().ToLowerInvariant()), ("$doc", StoreJson.Serialize(channel)));
    }

    private static (string Name, object? Value)[] EscalationColumns(Escalation escalation, string etag) =>
    [
        ("$id", escalation.Id), ("$awaiting", escalation.AwaitingChannel ? 1 : 0),
        ("$next", escalation.NextActionAt?.ToUnixTimeMilliseconds()), ("$lease", escalation.LeaseUntil?.ToUnixTimeMilliseconds()),
        ("$etag", etag), ("$doc", StoreJson.Serialize(escalation)),
    ];

    private static Escalation ReadEscalation(SqliteDataReader reader) =>
        StoreJson.Deserialize<Escalation>(reader.GetString(0)) with { ETag = reader.GetString(1) };
}
