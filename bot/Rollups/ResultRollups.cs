using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.QuestionSets;
using ProcurementBot.Storage;

namespace ProcurementBot.Rollups;

/// <summary>
/// Keeps the monthly <see cref="Rollup"/> of each supplier and category as check-ins finish: per rollup one
/// read and one conditional write, again on a conflict. Counting is idempotent on the check-in id, so a
/// retried finish (or two instances finishing the same check-in) counts once.
/// </summary>
public sealed class ResultRollups(IProcurementStore store, TimeProvider clock, ILogger<ResultRollups> logger)
{
    // Instances finishing check-ins of one supplier or category compete for its document; each conflict
    // means another writer got through, so this many rounds only run out under extreme contention.
    private const int MaxAttempts = 25;

    // Within this instance, updates of one rollup take turns instead of colliding on its ETag: hundreds of
    // people answering at once for one big supplier would otherwise retry each other out. Striped, so the
    // gates stay few whatever the number of suppliers.
    private readonly SemaphoreSlim[] _gates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Counts a finished check-in into its supplier's and its category's month. Safe to call again.</summary>
    public async Task RecordAsync(CheckIn finished, QuestionSet set, CancellationToken cancellationToken)
    {
        if (!Rollup.Counts(finished))
        {
            return;
        }

        var month = Rollup.MonthOf(finished.CompletedAt ?? clock.GetUtcNow());
        Task<Rollup> Count(Rollup r) => Task.FromResult(r.CheckInIds.Contains(finished.Id, StringComparer.Ordinal) ? r : r.Counting(finished, set));
        await UpdateBothAsync(finished.Purchase.Supplier, finished.Purchase.Category, month, Count, finished.Id, cancellationToken);
    }

    /// <summary>
    /// Counts a check-in that reached its requester into the month it was sent. Safe to call again. Never
    /// throws: the check-in is sent and saved whatever happens here, so a failure is logged instead.
    /// </summary>
    public async Task RecordSentAsync(CheckIn sent, CancellationToken cancellationToken)
    {
        var month = Rollup.MonthOf(sent.SentAt ?? clock.GetUtcNow());
        await BestEffortAsync(
            () => UpdateBothAsync(sent.Purchase.Supplier, sent.Purchase.Category, month, r => Task.FromResult(r.CountingSent(sent)), sent.Id, cancellationToken),
            $"check-in {sent.Id} sent", cancellationToken);
    }

    /// <summary>
    /// Counts an expired check-in into the month it expired in. Call once, after the expiry was saved (the save
    /// decides which instance counts it). Never throws: a failure is logged.
    /// </summary>
    public async Task RecordExpiredAsync(CheckIn expired, CancellationToken cancellationToken)
    {
        var month = Rollup.MonthOf(clock.GetUtcNow());
        await BestEffortAsync(
            () => UpdateBothAsync(expired.Purchase.Supplier, expired.Purchase.Category, month, r => Task.FromResult(r with { Expired = r.Expired + 1 }), expired.Id, cancellationToken),
            $"check-in {expired.Id} expired", cancellationToken);
    }

    /// <summary>
    /// Brings the escalation's state into the month it was raised in. Call after every change of it: the
    /// escalation is read again inside each attempt, so whichever instance writes the rollup last writes the
    /// escalation's latest state, whatever order the changes' calls arrive in. Never throws (the escalation is
    /// saved already): a failure is logged, and the escalation's next change, or a retried click, counts it.
    /// </summary>
    public Task RecordEscalationAsync(Escalation changed, CancellationToken cancellationToken)
    {
        // Supplier, category and creation time never change; the state is read again.
        async Task<Rollup> Tally(Rollup r) =>
            await store.GetEscalationAsync(changed.Id, cancellationToken) is { } current ? r.Tallying(current) : r;
        return BestEffortAsync(
            () => UpdateBothAsync(changed.Supplier, changed.Category, Rollup.MonthOf(changed.CreatedAt), Tally, changed.Id, cancellationToken),
            $"escalation {changed.Id}", cancellationToken);
    }

    /// <summary>Every supplier's and category's rollup of one month (<c>yyyy-MM</c>).</summary>
    public Task<IReadOnlyList<Rollup>> GetMonthAsync(string month, CancellationToken cancellationToken) =>
        store.GetRollupsAsync(month, cancellationToken);

    /// <summary>A supplier's month (<paramref name="month"/> as <c>yyyy-MM</c>); null before its first send or response.</summary>
    public Task<Rollup?> GetSupplierAsync(string supplier, string month, CancellationToken cancellationToken) =>
        store.GetRollupAsync(Rollup.KeyFor(RollupDimension.Supplier, supplier, month), cancellationToken);

    /// <summary>A category's month (<paramref name="month"/> as <c>yyyy-MM</c>); null before its first send or response.</summary>
    public Task<Rollup?> GetCategoryAsync(string category, string month, CancellationToken cancellationToken) =>
        store.GetRollupAsync(Rollup.KeyFor(RollupDimension.Category, category, month), cancellationToken);

    private async Task BestEffortAsync(Func<Task> record, string what, CancellationToken cancellationToken)
    {
        try
        {
            await record();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "The results do not show {Counted} yet", what);
        }
    }

    private async Task UpdateBothAsync(
        string supplier, string category, string month, Func<Rollup, Task<Rollup>> change, string what, CancellationToken cancellationToken)
    {
        await UpdateAsync(Rollup.Empty(RollupDimension.Supplier, supplier, month), change, what, cancellationToken);
        await UpdateAsync(Rollup.Empty(RollupDimension.Category, category, month), change, what, cancellationToken);
    }

    private async Task UpdateAsync(Rollup empty, Func<Rollup, Task<Rollup>> change, string what, CancellationToken cancellationToken)
    {
        var gate = _gates[(int)((uint)StringComparer.Ordinal.GetHashCode(empty.Key) % (uint)_gates.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var current = await store.GetRollupAsync(empty.Key, cancellationToken) ?? empty;
                var next = await change(current);
                if (ReferenceEquals(next, current) || await store.TrySaveRollupAsync(next, cancellationToken) is not null)
                {
                    return;
                }
            }
        }
        finally
        {
            gate.Release();
        }

        logger.LogWarning("Rollup {RollupKey} kept changing; {Counted} is not counted yet", empty.Key, what);
        throw new InvalidOperationException($"The rollup {empty.Key} kept changing under concurrent updates.");
    }
}
