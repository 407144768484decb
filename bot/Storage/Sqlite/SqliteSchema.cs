using Microsoft.Data.Sqlite;

namespace ProcurementBot.Storage.Sqlite;

/// <summary>Ordered migrations; <c>PRAGMA user_version</c> records how many have run.</summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE people (
            id TEXT PRIMARY KEY,
            updated_at INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE TABLE person_addresses (
            address TEXT NOT NULL,
            person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            seen_at INTEGER NOT NULL,
            PRIMARY KEY (address, person_id)
        );
        CREATE TABLE question_sets (
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            doc TEXT NOT NULL,
            PRIMARY KEY (id, version)
        );
        CREATE TABLE check_ins (
            id TEXT PRIMARY KEY,
            requester_key TEXT NOT NULL,
            status TEXT NOT NULL,
            due_at INTEGER NOT NULL,
            lease_until INTEGER,
            etag TEXT NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX ix_check_ins_due ON check_ins (status, due_at);
        CREATE INDEX ix_check_ins_requester ON check_ins (requester_key, status);
        """,

        // A person's open check-ins in due order come straight from the index instead of a scan of
        // every in-progress check-in by due date.
        """
        DROP INDEX ix_check_ins_requester;
        CREATE INDEX ix_check_ins_requester_due ON check_ins (requester_key, status, due_at);
        """,

        // Who a check-in was sent to, as a column: a typed answer finds its check-in without parsing documents.
        """
        ALTER TABLE check_ins ADD COLUMN person_id TEXT;
        UPDATE check_ins SET person_id = json_extract(doc, '$.personId');
        """,

        """
        CREATE TABLE escalations (
            id TEXT PRIMARY KEY,
            awaiting_channel INTEGER NOT NULL,
            next_action_at INTEGER,
            lease_until INTEGER,
            etag TEXT NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX ix_escalations_next ON escalations (next_action_at) WHERE next_action_at IS NOT NULL;
        CREATE INDEX ix_escalations_awaiting ON escalations (awaiting_channel) WHERE awaiting_channel = 1;
        CREATE TABLE escalation_channels (
            category TEXT PRIMARY KEY,
            doc TEXT NOT NULL
        );
        CREATE TABLE supplier_signals (
            supplier_key TEXT PRIMARY KEY,
            etag TEXT NOT NULL,
            doc TEXT NOT NULL
        );
        """,

        // Monthly results per supplier and per category, maintained as check-ins finish.
        """
        CREATE TABLE rollups (
            key TEXT PRIMARY KEY,
            etag TEXT NOT NULL,
            doc TEXT NOT NULL
        );
        """,

        // Who changed what through the admin API, listed newest first by time.
        """
        CREATE TABLE audit_log (
            id TEXT PRIMARY KEY,
            at INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX ix_audit_log_at ON audit_log (at);
        """,

        // Responses (completed, or stopped with answers) by completion time (Unix ms), for the admin results;
        // null for every other check-in, so the partial index holds only responses.
        """
        ALTER TABLE check_ins ADD COLUMN completed_at INTEGER;
        UPDATE check_ins SET completed_at = CAST(round((julianday(json_extract(doc, '$.completedAt')) - 2440587.5) * 86400000) AS INTEGER)
        WHERE json_extract(doc, '$.completedAt') IS NOT NULL
          AND (status = 'Completed' OR (status = 'Stopped' AND json_array_length(doc, '$.answers') > 0));
        CREATE INDEX ix_check_ins_completed ON check_ins (completed_at, id) WHERE completed_at IS NOT NULL;
        """,

        // When a check-in waiting for answers is to be reminded or expired (Unix ms), for the sender's claim.
        """
        ALTER TABLE check_ins ADD COLUMN nudge_at INTEGER;
        CREATE INDEX ix_check_ins_nudge ON check_ins (nudge_at) WHERE status = 'InProgress' AND nudge_at IS NOT NULL;
        """,

        // Live bot instances (heartbeat until, Unix ms), so they share the connector's app rate limit.
        """
        CREATE TABLE instances (
            id TEXT PRIMARY KEY,
            until INTEGER NOT NULL
        );
        """,

        // Slack events and clicks acknowledged and not yet handled (then kept a day, emptied, to know retries):
        // the lane (a person) and sequence give each lane's order, next_at and lease_until the claim (Unix ms).
        """
        CREATE TABLE slack_inbox (
            id TEXT PRIMARY KEY,
            lane TEXT NOT NULL,
            seq INTEGER NOT NULL,
            done INTEGER NOT NULL,
            next_at INTEGER NOT NULL,
            lease_until INTEGER,
            done_at INTEGER,
            etag TEXT NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX ix_slack_inbox_open ON slack_inbox (lane, seq, id) WHERE done = 0;
        CREATE INDEX ix_slack_inbox_done ON slack_inbox (done_at) WHERE done = 1;
        """,
    ];

    // Indexes every start makes sure of (IF NOT EXISTS), outside the numbered migrations: they change no data,
    // so a database that has them already is left as it is.
    private static readonly string[] Ensured =
    [
        // Finished check-ins whose finish is still to be announced, for the sweep (see ClaimPendingFinishesAsync).
        "CREATE INDEX IF NOT EXISTS ix_check_ins_finish_pending ON check_ins (lease_until) WHERE json_extract(doc, '$.finishPending') = 1;",
    ];

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var wal = connection.CreateCommand())
        {
            // WAL lets readers run beside the one writer; several bot processes may share the file.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "PRAGMA user_version;";
        var applied = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (applied > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The SQLite database is at schema version {applied}, newer than this build knows ({Migrations.Length}). Use a newer build or another database file.");
        }

        for (var i = applied; i < Migrations.Length; i++)
        {
            await using var migrate = connection.CreateCommand();
            migrate.Transaction = tx;
            migrate.CommandText = Migrations[i] + $"\nPRAGMA user_version = {i + 1};";
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var statement in Ensured)
        {
            await using var ensure = connection.CreateCommand();
            ensure.Transaction = tx;
            ensure.CommandText = statement;
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }
}
