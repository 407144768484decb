using ProcurementBot.Admin;
using ProcurementBot.Escalations;

namespace ProcurementBot.Storage.Sqlite;

/// <summary>The admin audit log and erasing a person.</summary>
internal sealed partial class SqliteStore
{
    public async Task AddAuditEntryAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        await ExecuteAsync(session.Connection, null,
            "INSERT INTO audit_log (id, at, doc) VALUES ($id, $at, $doc);",
            cancellationToken,
            ("$id", entry.Id), ("$at", entry.At.ToUnixTimeMilliseconds()), ("$doc", StoreJson.Serialize(entry)));
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditEntriesAsync(DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken)
    {
        var docs = await ListAsync(
            "SELECT doc FROM audit_log WHERE at >= $from AND at <= $to ORDER BY at DESC, id DESC LIMIT $max;",
            cancellationToken,
            ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()), ("$max", max));
        return [.. docs.Select(StoreJson.Deserialize<AuditEntry>)];
    }

    public async Task<ErasureCounts> ErasePersonAsync(string address, CancellationToken cancellationToken)
    {
        var key = address.Trim().ToLowerInvariant();
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;
        await using var tx = connection.BeginTransaction(deferred: false);

        // The people with this address, and every address they are found by: check-ins under any of them are theirs.
        var personIds = await ColumnAsync(connection, tx,
            "SELECT DISTINCT person_id FROM person_addresses WHERE address = $address;", cancellationToken, ("$address", key));
        var addresses = await ColumnAsync(connection, tx,
            "SELECT DISTINCT address FROM person_addresses WHERE person_id IN (SELECT value FROM json_each($people));",
            cancellationToken, ("$people", StoreJson.Serialize(personIds)));
        addresses = [.. addresses.Append(key).Distinct(StringComparer.Ordinal)];
        var (people, addressList) = (StoreJson.Serialize(personIds), StoreJson.Serialize(addresses));

        var checkInIds = await ColumnAsync(connection, tx,
            "SELECT id FROM check_ins WHERE requester_key IN (SELECT value FROM json_each($addresses));",
            cancellationToken, ("$addresses", addressList));

        // Escalations stay for procurement, without the requester: those of their check-ins, and any other naming them.
        var escalations = new List<Escalation>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText =
                """
                SELECT doc, etag FROM escalations
                WHERE id IN (SELECT 'checkin:' || value FROM json_each($checkIns))
                   OR lower(json_extract(doc, '$.requesterEmail')) IN (SELECT value FROM json_each($addresses))
                   OR lower(json_extract(doc, '$.purchase.requesterEmail')) IN (SELECT value FROM json_each($addresses))
                   OR json_extract(doc, '$.requesterPersonId') IN (SELECT value FROM json_each($people));
                """;
            Bind(select, [("$checkIns", StoreJson.Serialize(checkInIds)), ("$addresses", addressList), ("$people", people)]);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                escalations.Add(ReadEscalation(reader));
            }
        }

        var anonymised = 0;
        foreach (var escalation in escalations.Where(e => e.NamesRequester))
        {
            anonymised += await ExecuteAsync(connection, tx,
                "UPDATE escalations SET etag = $etag, doc = $doc WHERE id = $id;",
                cancellationToken,
                ("$id", escalation.Id), ("$etag", StoreJson.NewETag()), ("$doc", StoreJson.Serialize(escalation.WithoutRequester())));
        }

        var checkIns = await ExecuteAsync(connection, tx,
            "DELETE FROM check_ins WHERE id IN (SELECT value FROM json_each($ids));", cancellationToken, ("$ids", StoreJson.Serialize(checkInIds)));
        var erased = await ExecuteAsync(connection, tx,
            "DELETE FROM people WHERE id IN (SELECT value FROM json_each($people));", cancellationToken, ("$people", people));
        await tx.CommitAsync(cancellationToken);
        return new ErasureCounts(erased, checkIns, anonymised);
    }

    private static async Task<List<string>> ColumnAsync(
        Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction tx, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        Bind(command, parameters);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
