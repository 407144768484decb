using System.Globalization;
using Microsoft.Data.Sqlite;
using ProcurementBot.CheckIns;
using ProcurementBot.People;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file, documents as JSON beside the columns that are queried.</summary>
internal sealed partial class SqliteStore(string connectionString) : IProcurementStore, IDisposable
{
    // One connection per store, used by one operation at a time. SQLite has one writer at a time anyway;
    // queueing here (asynchronously) keeps callers from spinning in SQLite's busy handler on thread-pool
    // threads, and, because no other connection in this process writes, the connection's page cache
    // stays valid between operations instead of being dropped after every write. Operations are short
    // point reads and writes. Other processes on the same file still meet busy_timeout.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.Mode != SqliteOpenMode.Memory && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await SqliteSchema.MigrateAsync(connection, cancellationToken);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master;";
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<Person?> GetPersonAsync(string personId, CancellationToken cancellationToken)
    {
        var doc = await ScalarAsync("SELECT doc FROM people WHERE id = $id;", cancellationToken, ("$id", personId));
        return doc is string json ? StoreJson.Deserialize<Person>(json) : null;
    }

    public async Task<Person?> FindPersonByAddressAsync(string address, CancellationToken cancellationToken)
    {
        var doc = await ScalarAsync(
            """
            SELECT p.doc FROM person_addresses a JOIN people p ON p.id = a.person_id
            WHERE a.address = $address ORDER BY a.seen_at DESC LIMIT 1;
            """,
            cancellationToken,
            ("$address", address.Trim().ToLowerInvariant()));
        return doc is string json ? StoreJson.Deserialize<Person>(json) : null;
    }

    public async Task<IReadOnlyList<Person>> FindPeopleByAddressAsync(string address, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            SELECT p.doc FROM person_addresses a JOIN people p ON p.id = a.person_id
            WHERE a.address = $address ORDER BY a.seen_at DESC, p.id;
            """,
            reader => StoreJson.Deserialize<Person>(reader.GetString(0)),
            cancellationToken,
            ("$address", address.Trim().ToLowerInvariant()));

    public async Task UpsertPersonAsync(Person person, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, tx,
            """
            INSERT INTO people (id, updated_at, doc) VALUES ($id, $at, $doc)
            ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, doc = excluded.doc;
            DELETE FROM person_addresses WHERE person_id = $id;
            """,
            cancellationToken,
            ("$id", person.Id), ("$at", person.UpdatedAt.ToUnixTimeMilliseconds()), ("$doc", StoreJson.Serialize(person)));
        foreach (var address in person.Addresses())
        {
            await ExecuteAsync(connection, tx,
                "INSERT OR REPLACE INTO person_addresses (address, person_id, seen_at) VALUES ($address, $id, $at);",
                cancellationToken,
                ("$address", address), ("$id", person.Id), ("$at", person.UpdatedAt.ToUnixTimeMilliseconds()));
        }

        await tx.CommitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<QuestionSet>> GetCurrentQuestionSetsAsync(CancellationToken cancellationToken) =>
        LatestQuestionSetsAsync(archived: false, cancellationToken);

    public async Task<QuestionSet?> GetQuestionSetAsync(string id, int version, CancellationToken cancellationToken)
    {
        var doc = await ScalarAsync("SELECT doc FROM question_sets WHERE id = $id AND version = $version;", cancellationToken, ("$id", id), ("$version", version));
        return doc is string json ? StoreJson.Deserialize<QuestionSet>(json) : null;
    }

    public async Task<bool> AddQuestionSetVersionAsync(QuestionSet set, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;
        var rows = await ExecuteAsync(connection, null,
            "INSERT OR IGNORE INTO question_sets (id, version, created_at, doc) VALUES ($id, $version, $at, $doc);",
            cancellationToken,
            ("$id", set.Id), ("$version", set.Version), ("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), ("$doc", StoreJson.Serialize(set)));
        return rows == 1;
    }

    public async Task<IReadOnlyList<QuestionSet>> GetQuestionSetVersionsAsync(string id, CancellationToken cancellationToken)
    {
        var docs = await ListAsync("SELECT doc FROM question_sets WHERE id = $id ORDER BY version;", cancellationToken, ("$id", id));
        return [.. docs.Select(StoreJson.Deserialize<QuestionSet>)];
    }

    public async Task<bool> ArchiveQuestionSetAsync(string id, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var rows = await ExecuteAsync(session.Connection, null, "UPDATE question_sets SET archived = 1 WHERE id = $id;", cancellationToken, ("$id", id));
        return rows > 0;
    }

    public Task<IReadOnlyList<QuestionSet>> GetArchivedQuestionSetsAsync(CancellationToken cancellationToken) =>
        LatestQuestionSetsAsync(archived: true, cancellationToken);

    /// <summary>The latest version of each set that is (or is not) archived, ordered by id.</summary>
    private async Task<IReadOnlyList<QuestionSet>> LatestQuestionSetsAsync(bool archived, CancellationToken cancellationToken)
    {
        var docs = await ListAsync(
            """
            SELECT q.doc FROM question_sets q
            WHERE q.archived = $archived AND q.version = (SELECT max(version) FROM question_sets WHERE id = q.id)
            ORDER BY q.id;
            """,
            cancellationToken,
            ("$archived", archived ? 1 : 0));
        return [.. docs.Select(StoreJson.Deserialize<QuestionSet>)];
    }

    public async Task<IReadOnlyList<string>> AddCheckInsAsync(IReadOnlyList<CheckIn> checkIns, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var added = new List<string>();
        foreach (var checkIn in checkIns)
        {
            var rows = await ExecuteAsync(connection, tx,
                """
                INSERT OR IGNORE INTO check_ins (id, requester_key, status, due_at, lease_until, person_id, completed_at, nudge_at, etag, doc)
                VALUES ($id, $requester, $status, $due, NULL, $person, $completed, $nudge, $etag, $doc);
                """,
                cancellationToken,
                ("$id", checkIn.Id), ("$completed", CompletedAt(checkIn)), ("$requester", checkIn.RequesterKey), ("$status", checkIn.Status.ToString()), ("$person", checkIn.PersonId),
                ("$due", checkIn.DueAt.ToUnixTimeMilliseconds()), ("$nudge", checkIn.NudgeAt?.ToUnixTimeMilliseconds()), ("$etag", StoreJson.NewETag()), ("$doc", StoreJson.Serialize(checkIn)));
            if (rows == 1)
            {
                added.Add(checkIn.Id);
            }
        }

        await tx.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<CheckIn?> GetCheckInAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT doc, etag FROM check_ins WHERE id = $id;", ReadCheckIn, cancellationToken, ("$id", id))).FirstOrDefault();

    public async Task<CheckIn?> TryReplaceCheckInAsync(CheckIn checkIn, CancellationToken cancellationToken)
    {
        // The write on every answer: committed together with whatever other answers arrive meanwhile.
        var etag = StoreJson.NewETag();
        var rows = await WriteGroupedAsync(
            """
            UPDATE check_ins SET requester_key = $requester, status = $status, due_at = $due, lease_until = $lease, person_id = $person, completed_at = $completed, nudge_at = $nudge, etag = $new, doc = $doc
            WHERE id = $id AND etag = $old;
            """,
            ("$id", checkIn.Id), ("$completed", CompletedAt(checkIn)), ("$requester", checkIn.RequesterKey), ("$status", checkIn.Status.ToString()), ("$person", checkIn.PersonId),
            ("$due", checkIn.DueAt.ToUnixTimeMilliseconds()), ("$lease", checkIn.LeaseUntil?.ToUnixTimeMilliseconds()), ("$nudge", checkIn.NudgeAt?.ToUnixTimeMilliseconds()),
            ("$new", etag), ("$old", checkIn.ETag), ("$doc", StoreJson.Serialize(checkIn)));
        return rows == 1 ? checkIn with { ETag = etag } : null;
    }

    public async Task<IReadOnlyList<CheckIn>> ClaimDueCheckInsAsync(
        DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;

        // An immediate transaction takes SQLite's write lock first, so two claimers never see the same rows.
        await using var tx = connection.BeginTransaction(deferred: false);
        var due = new List<CheckIn>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText =
                """
                SELECT doc, etag, due_at AS at FROM check_ins
                WHERE (status = 'Scheduled' AND due_at <= $now) OR (status = 'Sending' AND lease_until <= $now)
                UNION ALL
                SELECT doc, etag, nudge_at AS at FROM check_ins
                WHERE status = 'InProgress' AND nudge_at <= $now AND (lease_until IS NULL OR lease_until <= $now)
                ORDER BY at LIMIT $max;
                """;
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$max", max);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(ReadCheckIn(reader));
            }
        }

        var claimed = new List<CheckIn>(due.Count);
        foreach (var checkIn in due)
        {
            // One waiting for answers keeps its status: the lease alone reserves the reminder or expiry.
            var status = checkIn.Status == CheckInStatus.InProgress ? CheckInStatus.InProgress : CheckInStatus.Sending;
            var lease = checkIn with { Status = status, LeaseOwner = owner, LeaseUntil = leaseUntil, ETag = StoreJson.NewETag() };
            await ExecuteAsync(connection, tx,
                "UPDATE check_ins SET status = $status, lease_until = $lease, etag = $etag, doc = $doc WHERE id = $id;",
                cancellationToken,
                ("$id", lease.Id), ("$status", status.ToString()), ("$lease", leaseUntil.ToUnixTimeMilliseconds()), ("$etag", lease.ETag), ("$doc", StoreJson.Serialize(lease)));
            claimed.Add(lease);
        }

        await tx.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<IReadOnlyList<CheckIn>> ClaimPendingFinishesAsync(
        DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;

        // As ClaimDueCheckInsAsync: the immediate transaction keeps two claimers off the same rows.
        await using var tx = connection.BeginTransaction(deferred: false);
        var pending = new List<CheckIn>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText =
                """
                SELECT doc, etag FROM check_ins
                WHERE json_extract(doc, '$.finishPending') = 1 AND (lease_until IS NULL OR lease_until <= $now)
                LIMIT $max;
                """;
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$max", max);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add(ReadCheckIn(reader));
            }
        }

        var claimed = new List<CheckIn>(pending.Count);
        foreach (var checkIn in pending)
        {
            var lease = checkIn with { LeaseOwner = owner, LeaseUntil = leaseUntil, ETag = StoreJson.NewETag() };
            await ExecuteAsync(connection, tx,
                "UPDATE check_ins SET lease_until = $lease, etag = $etag, doc = $doc WHERE id = $id;",
                cancellationToken,
                ("$id", lease.Id), ("$lease", leaseUntil.ToUnixTimeMilliseconds()), ("$etag", lease.ETag), ("$doc", StoreJson.Serialize(lease)));
            claimed.Add(lease);
        }

        await tx.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<IReadOnlyList<CheckIn>> GetFailedCheckInsAsync(int max, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT doc, etag FROM check_ins WHERE status = 'Failed' ORDER BY due_at DESC, id LIMIT $max;",
            ReadCheckIn, cancellationToken, ("$max", max));

    public async Task<IReadOnlyList<CheckIn>> GetCheckInsForRequesterAsync(
        string requesterKey, IReadOnlyCollection<CheckInStatus> statuses, CancellationToken cancellationToken, DateTimeOffset? dueFrom = null)
    {
        var names = statuses.Select((s, i) => (Name: $"$s{i}", Value: (object?)s.ToString())).ToList();
        return await QueryAsync(
            $"""
            SELECT doc, etag FROM check_ins
            WHERE requester_key = $requester AND status IN ({string.Join(", ", names.Select(n => n.Name))}) AND due_at >= $from
            ORDER BY due_at, id;
            """,
            ReadCheckIn, cancellationToken, [("$requester", requesterKey), ("$from", dueFrom?.ToUnixTimeMilliseconds() ?? long.MinValue), .. names]);
    }

    /// <summary>
    /// Deletes check-ins that closed before <paramref name="closedBefore"/> (their completion, else their send,
    /// else their due time). Retention for this store; not on the port, as Cosmos DB expires documents itself.
    /// </summary>
    internal async Task<int> DeleteClosedCheckInsAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        return await ExecuteAsync(session.Connection, null,
            """
            DELETE FROM check_ins
            WHERE status IN ('Completed', 'Stopped', 'Expired', 'Failed', 'OptedOut')
              AND unixepoch(coalesce(json_extract(doc, '$.completedAt'), json_extract(doc, '$.sentAt'), json_extract(doc, '$.dueAt'))) * 1000 < $before;
            """,
            cancellationToken, ("$before", closedBefore.ToUnixTimeMilliseconds()));
    }

    public async Task<CheckIn?> FindOpenCheckInAsync(string requesterKey, string personId, CancellationToken cancellationToken) =>
        (await QueryAsync(
            """
            SELECT doc, etag FROM check_ins
            WHERE requester_key = $requester AND status = 'InProgress' AND person_id = $person
            ORDER BY due_at LIMIT 1;
            """,
            ReadCheckIn, cancellationToken, ("$requester", requesterKey), ("$person", personId))).FirstOrDefault();

    /// <summary>The <c>completed_at</c> column: a response's completion time (Unix ms), else null.</summary>
    private static long? CompletedAt(CheckIn checkIn) =>
        ResponseQuery.IsResponse(checkIn) ? checkIn.CompletedAt!.Value.ToUnixTimeMilliseconds() : null;

    public async Task<ResponsePage> GetResponsesAsync(ResponseQuery query, CancellationToken cancellationToken)
    {
        var after = query.After;
        var pageSize = Math.Clamp(query.PageSize, 1, ResponseQuery.MaxPageSize);
        var items = await QueryAsync(
            """
            SELECT doc, etag FROM check_ins
            WHERE completed_at IS NOT NULL AND completed_at >= $from AND completed_at < $to
              AND ($afterAt IS NULL OR completed_at > $afterAt OR (completed_at = $afterAt AND id > $afterId))
              AND ($purchase IS NULL OR id = $purchase)
              AND ($supplier IS NULL OR lower(trim(json_extract(doc, '$.purchase.supplier'))) = $supplier)
              AND ($category IS NULL OR lower(trim(json_extract(doc, '$.purchase.category'))) = $category)
            ORDER BY completed_at, id LIMIT $take;
            """,
            ReadCheckIn, cancellationToken,
            ("$from", query.From.ToUnixTimeMilliseconds()), ("$to", query.To.ToUnixTimeMilliseconds()),
            ("$afterAt", after?.At), ("$afterId", after?.Id),
            ("$purchase", string.IsNullOrWhiteSpace(query.PurchaseId) ? null : query.PurchaseId.Trim()),
            ("$supplier", query.SupplierKey), ("$category", query.CategoryKey), ("$take", pageSize + 1));
        return items.Count > pageSize
            ? new ResponsePage(items[..pageSize], ResponseQuery.Encode(items[pageSize - 1]))
            : new ResponsePage(items, null);
    }

    private static CheckIn ReadCheckIn(SqliteDataReader reader) =>
        StoreJson.Deserialize<CheckIn>(reader.GetString(0)) with { ETag = reader.GetString(1) };

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // The store's one connection keeps up to 64 MB of pages cached (SQLite's default is 2 MB), so the
        // check-ins people are answering stay in memory; writers from other processes are waited for.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private async Task<Session> BeginAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _connection ??= await OpenAsync(cancellationToken);
            return new Session(_connection, _gate);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>The store's connection, held by one operation; disposing it lets the next one in.</summary>
    private sealed class Session(SqliteConnection connection, SemaphoreSlim gate) : IAsyncDisposable
    {
        public SqliteConnection Connection { get; } = connection;

        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var session = await BeginAsync(cancellationToken);
        var connection = session.Connection;
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private Task<List<string>> ListAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync(sql, reader => reader.GetString(0), cancellationToken, parameters);

    /// <summary>Runs a query on the store's connection and reads every row with <paramref name="read"/>.</summary>
    private async Task<List<T>> QueryAsync<T>(
        string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var session = await BeginAsync(cancellationToken);
        await using var command = session.Connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, parameters);
        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(read(reader));
        }

        return result;
    }

    private static async Task<int> ExecuteAsync(
        SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        Bind(command, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _gate.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"SQLite ({new SqliteConnectionStringBuilder(connectionString).DataSource})");
}
