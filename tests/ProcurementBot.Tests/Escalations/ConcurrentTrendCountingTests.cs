using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;

namespace ProcurementBot.Tests.Escalations;

/// <summary>
/// Hundreds of answers for one supplier at once, on several instances: no turn fails for the supplier's trend
/// count, and once the finished check-ins' sweep has caught up every answer is counted exactly once.
/// </summary>
public sealed class ConcurrentTrendCountingTests : EscalationHarness
{
    private const int Answers = 500;
    private const int Instances = 4;

    [Fact]
    public async Task Five_hundred_concurrent_low_ratings_for_one_supplier_fail_no_turn_and_are_counted_exactly()
    {
        var set = Set();
        var ids = Enumerable.Range(0, Answers).Select(i => $"PO-{i:D4}").ToList();
        // As the answer's turn writes it: finished, with the finish still to be announced.
        foreach (var id in ids)
        {
            var finished = AnsweredFor(id, "Fabrikam", SetId, ("overall", "2")) with { Status = CheckInStatus.InProgress, Answers = [] };
            await Store.AddCheckInsAsync([finished], default);
            var stored = (await Store.GetCheckInAsync(id, default))!;
            var answered = AnsweredFor(id, "Fabrikam", SetId, ("overall", "2"));
            Assert.NotNull(await Store.TryReplaceCheckInAsync(FinishedCheckIns.Mark(stored, stored with { Status = CheckInStatus.Completed, CompletedAt = T0, Answers = answered.Answers }), default));
        }

        var instances = Enumerable.Range(0, Instances).Select(_ => Connect()).Select(s => (Store: s, Finishes: NewFinishes(s))).ToList();
        using var start = new SemaphoreSlim(0);
        var turns = ids.Select((id, i) => Task.Run(async () =>
        {
            var (store, finishes) = instances[i % Instances];
            await start.WaitAsync();
            await finishes.AnnounceAsync((await store.GetCheckInAsync(id, default))!, set, default);
        })).ToList();
        start.Release(Answers);
        await Task.WhenAll(turns);

        // What a turn could not finish the sweep does: run it on every instance until nothing is pending.
        for (var round = 0; round < 20 && await AnyPendingAsync(ids); round++)
        {
            Clock.Advance(FinishedCheckIns.RetryAfter);
            await Task.WhenAll(instances.Select(i => DrainAsync(i.Finishes)));
        }

        Assert.False(await AnyPendingAsync(ids), "Finished check-ins are still pending after the sweeps.");
        var signals = (await Store.GetSupplierSignalsAsync(SupplierSignals.KeyOf("Fabrikam"), default))!;
        Assert.Equal(ids, signals.LowRatings.Where(r => r.RuleId == "supplier-trend").Select(r => r.CheckInId).Order(StringComparer.Ordinal));
        var raised = signals.LowRatings.Where(r => r.RaisedEscalationId is not null).Select(r => r.RaisedEscalationId!).Distinct().ToList();
        var trend = Assert.Single(raised);
        Assert.Equal(EscalationKind.SupplierTrend, (await Store.GetEscalationAsync(trend, default))!.Kind);
        foreach (var id in ids)
        {
            Assert.NotNull(await Store.GetEscalationAsync(Escalation.IdForCheckIn(id), default));
        }
    }

    private static async Task DrainAsync(FinishedCheckIns finishes)
    {
        while (await finishes.SweepAsync(default) > 0)
        {
        }
    }

    private async Task<bool> AnyPendingAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if ((await Store.GetCheckInAsync(id, default))!.FinishPending)
            {
                return true;
            }
        }

        return false;
    }
}
