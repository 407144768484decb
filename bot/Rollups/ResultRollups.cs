using ProcurementBot.CheckIns;
using ProcurementBot.Storage;
using ProcurementBot.Surveys;

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
        await CountAsync(Rollup.Empty(RollupDimension.Supplier, finished.Purchase.Supplier, month), finished, set, cancellationToken);
        await CountAsync(Rollup.Empty(RollupDimension.Category, finished.Purchase.Category, month), finished, set, cancellationToken);
    }

    /// <summary>A supplier's month (<paramref name="month"/> as <c>yyyy-MM</c>); null before its first response.</summary>
    public Task<Rollup?> GetSupplierAsync(string supplier, string month, CancellationToken cancellationToken) =>
        store.GetRollupAsync(Rollup.KeyFor(RollupDimension.Supplier, supplier, month), cancellationToken);

    /// <summary>A category's month (<paramref name="month"/> as <c>yyyy-MM</c>); null before its first response.</summary>
    public Task<Rollup?> GetCategoryAsync(string category, string month, CancellationToken cancellationToken) =>
        store.GetRollupAsync(Rollup.KeyFor(RollupDimension.Category, category, month), cancellationToken);

    private async Task CountAsync(Rollup empty, CheckIn checkIn, QuestionSet set, CancellationToken cancellationToken)
    {
        var gate = _gates[(int)((uint)StringComparer.Ordinal.GetHashCode(empty.Key) % (uint)_gates.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            await CountOnceAsync(empty, checkIn, set, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task CountOnceAsync(Rollup empty, CheckIn checkIn, QuestionSet set, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.GetRollupAsync(empty.Key, cancellationToken) ?? empty;
            if (current.CheckInIds.Contains(checkIn.Id, StringComparer.Ordinal))
            {
                return;
            }

            if (await store.TrySaveRollupAsync(current.Counting(checkIn, set), cancellationToken) is not null)
            {
                return;
            }
        }

        logger.LogWarning("Rollup {RollupKey} kept changing; check-in {CheckInId} is not counted yet", empty.Key, checkIn.Id);
        throw new InvalidOperationException($"The rollup {empty.Key} kept changing under concurrent updates.");
    }
}

public static class ResultsExtensions
{
    public static IServiceCollection AddResults(this IServiceCollection services)
    {
        services.AddSingleton<ResultRollups>();
        return services;
    }
}
