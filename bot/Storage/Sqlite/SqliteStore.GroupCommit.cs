using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ProcurementBot.Storage.Sqlite;

/// <summary>
/// Group commit for single-statement writes on the hot path. Each durable commit costs a disk flush;
/// writes that queue up while one commit is flushing are committed together by the next writer to get
/// the connection, each in a savepoint of its own so one failing statement fails only its caller. Nobody
/// is answered before the transaction holding their write has committed.
/// </summary>
internal sealed partial class SqliteStore
{
    private readonly ConcurrentQueue<QueuedWrite> _queued = new();

    private sealed record QueuedWrite(string Sql, (string Name, object? Value)[] Parameters)
    {
        public TaskCompletionSource<int> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Runs one write statement, committed durably, possibly together with others; returns the rows it changed.</summary>
    private async Task<int> WriteGroupedAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var mine = new QueuedWrite(sql, parameters);
        _queued.Enqueue(mine);

        // Once queued the write will happen, so waiting for the connection is not cancellable: a caller
        // must never be told "cancelled" about a write that then commits.
        await using (var session = await BeginAsync(CancellationToken.None))
        {
            if (!mine.Done.Task.IsCompleted)
            {
                await CommitQueuedAsync(session.Connection);
            }
        }

        return await mine.Done.Task;
    }

    private async Task CommitQueuedAsync(SqliteConnection connection)
    {
        var batch = new List<QueuedWrite>();
        while (_queued.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        var rows = new int?[batch.Count];
        var failures = new Exception?[batch.Count];
        try
        {
            await using var tx = connection.BeginTransaction(deferred: false);
            for (var i = 0; i < batch.Count; i++)
            {
                tx.Save($"w{i}");
                try
                {
                    rows[i] = await ExecuteAsync(connection, tx, batch[i].Sql, CancellationToken.None, batch[i].Parameters);
                    tx.Release($"w{i}");
                }
                catch (SqliteException ex)
                {
                    tx.Rollback($"w{i}");
                    failures[i] = ex;
                }
            }

            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The transaction did not commit: nobody's write happened.
            foreach (var write in batch)
            {
                write.Done.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(rows[i]!.Value);
            }
        }
    }
}
