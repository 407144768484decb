using Microsoft.Azure.Cosmos;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.QuestionSets;
using ProcurementBot.Rollups;
using ProcurementBot.Storage;
using ProcurementBot.Tests.Storage;

// ProcurementBot.Tests.Results would hide ASP.NET Core's Results class from the test support code.
namespace ProcurementBot.Tests.Rollups;

/// <summary>
/// Counting finished check-ins into monthly supplier and category rollups, on a real SQLite store (and
/// once on Cosmos DB): the math, once per check-in however often or concurrently it is recorded, and
/// which rollup a check-in lands in.
/// </summary>
public sealed class ResultRollupsTests : EscalationHarness
{
    private const string March = "2026-03";

    private ResultRollups Rollups => NewRollups(Store);

    public static TheoryData<string[], int, int, double?, double?, double?, int, int> Tallies => new()
    {
        // check-ins (answers "question=as typed", " | " between them) → responses, ratings, CSAT, average, NPS, on time yes, no
        { ["overall=5 | onTime=yes | recommend=10"], 1, 1, 1.0, 5.0, 100.0, 1, 0 },
        { ["overall=3 | onTime=no | recommend=8"], 1, 1, 0.0, 3.0, 0.0, 0, 1 },
        { ["overall=1 | recommend=0"], 1, 1, 0.0, 1.0, -100.0, 0, 0 },
        { ["overall=4", "overall=5", "overall=3", "overall=1"], 4, 4, 0.5, 3.25, null, 0, 0 },
        { ["recommend=9", "recommend=10", "recommend=7", "recommend=6", "recommend=3"], 5, 0, null, null, 0.0, 0, 0 },
        { ["recommend=9", "recommend=9", "recommend=9", "recommend=8"], 4, 0, null, null, 75.0, 0, 0 },
        { ["onTime=yes", "onTime=late again", "onTime=yes", "overall=skip"], 4, 0, null, null, null, 2, 1 },
        { ["overall=4 | onTime=yes | recommend=9", "overall=2 | onTime=no | recommend=6", "overall=5 | recommend=7"], 3, 3, 2.0 / 3, 11.0 / 3, 0.0, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Tallies))]
    public async Task CSAT_average_NPS_and_on_time_are_counted_from_the_answers(
        string[] checkIns, int responses, int ratings, double? csat, double? average, double? nps, int onTimeYes, int onTimeNo)
    {
        for (var i = 0; i < checkIns.Length; i++)
        {
            await RecordAsync(Finished($"PO-{i}", checkIns[i]));
        }

        var rollup = (await Rollups.GetSupplierAsync("Dell", March, default))!;
        Assert.Equal((responses, ratings, onTimeYes, onTimeNo), (rollup.Responses, rollup.Ratings, rollup.OnTimeYes, rollup.OnTimeNo));
        AssertClose(csat, rollup.Csat);
        AssertClose(average, rollup.AverageRating);
        AssertClose(nps, rollup.Nps);
        Assert.Equal(rollup.Promoters + rollup.Passives + rollup.Detractors, checkIns.Count(c => c.Contains("recommend", StringComparison.Ordinal)));
        Assert.Equal(StoreJson.Serialize(rollup with { Key = "", Dimension = RollupDimension.Category, Name = "" }),
            StoreJson.Serialize((await Rollups.GetCategoryAsync("laptops", March, default))! with { Key = "", Name = "" }));
    }

    [Fact]
    public async Task A_retried_finish_is_counted_once()
    {
        var checkIn = Finished("PO-1", "overall=5 | onTime=yes | recommend=10");

        await RecordAsync(checkIn);
        await RecordAsync(checkIn);
        await RecordAsync(checkIn with { Answers = [.. checkIn.Answers.Take(1)] });

        foreach (var rollup in new[] { await Rollups.GetSupplierAsync("Dell", March, default), await Rollups.GetCategoryAsync("laptops", March, default) })
        {
            Assert.NotNull(rollup);
            Assert.Equal((1, 1, 5, 1, 1), (rollup.Responses, rollup.Ratings, rollup.RatingSum, rollup.Promoters, rollup.OnTimeYes));
            Assert.Equal(["PO-1"], rollup.CheckInIds);
        }
    }

    [Fact]
    public void A_rollup_remembers_only_its_last_thousand_check_ins_so_it_stays_small()
    {
        var full = Rollup.Empty(RollupDimension.Supplier, "Dell", March) with
        {
            Responses = Rollup.RememberedCheckIns,
            CheckInIds = [.. Enumerable.Range(0, Rollup.RememberedCheckIns).Select(i => $"PO-{i}")],
        };

        var counted = full.Counting(Finished("PO-new", "overall=5 | onTime=yes"), Set());

        Assert.Equal(Rollup.RememberedCheckIns + 1, counted.Responses);
        Assert.Equal(Rollup.RememberedCheckIns, counted.CheckInIds.Count);
        Assert.Equal(("PO-1", "PO-new"), (counted.CheckInIds[0], counted.CheckInIds[^1]));
    }

    [Fact]
    public async Task The_same_finish_recorded_by_several_instances_at_once_is_counted_once()
    {
        var checkIn = Finished("PO-1", "overall=4");
        var instances = Enumerable.Range(0, 6).Select(_ => NewRollups(Connect())).ToList();

        await AllAtOnce.RunAsync([.. instances.Select(r => (Func<Task<bool>>)(async () => { await r.RecordAsync(checkIn, Set(), default); return true; }))]);

        var rollup = (await Rollups.GetSupplierAsync("Dell", March, default))!;
        Assert.Equal((1, 1, 4), (rollup.Responses, rollup.Ratings, rollup.RatingSum));
        Assert.Equal(1, (await Rollups.GetCategoryAsync("laptops", March, default))!.Responses);
    }

    [Fact]
    public async Task Different_check_ins_finishing_at_once_on_several_instances_are_all_counted()
    {
        var instances = Enumerable.Range(0, 6).Select(_ => NewRollups(Connect())).ToList();

        await AllAtOnce.RunAsync([.. instances.Select((r, i) => (Func<Task<bool>>)(async () =>
        {
            await r.RecordAsync(Finished($"PO-{i}", $"overall={(i % 5) + 1}"), Set(), default);
            return true;
        }))]);

        var rollup = (await Rollups.GetSupplierAsync("Dell", March, default))!;
        Assert.Equal((6, 6, 1 + 2 + 3 + 4 + 5 + 1, 2), (rollup.Responses, rollup.Ratings, rollup.RatingSum, rollup.Satisfied));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"PO-{i}").Order(StringComparer.Ordinal), rollup.CheckInIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Suppliers_categories_and_months_are_kept_apart_and_names_are_matched_trimmed_in_any_case()
    {
        await RecordAsync(Finished("PO-1", "overall=5", supplier: "Dell"));
        await RecordAsync(Finished("PO-2", "overall=3", supplier: "  DELL "));
        await RecordAsync(Finished("PO-3", "overall=1", supplier: "HP", category: " Monitors"));
        await RecordAsync(Finished("PO-4", "overall=4", supplier: "dell", at: new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)));

        // 23:30 on 31 March in UTC−2 is already April in UTC.
        await RecordAsync(Finished("PO-5", "overall=2", supplier: "dell", at: new DateTimeOffset(2026, 3, 31, 23, 30, 0, TimeSpan.FromHours(-2))));

        var dellMarch = (await Rollups.GetSupplierAsync(" dell", March, default))!;
        Assert.Equal((RollupDimension.Supplier, "Dell", March, "supplier:dell:2026-03"), (dellMarch.Dimension, dellMarch.Name, dellMarch.Month, dellMarch.Key));
        Assert.Equal(["PO-1", "PO-2"], dellMarch.CheckInIds);
        Assert.Equal(["PO-4", "PO-5"], (await Rollups.GetSupplierAsync("Dell", "2026-04", default))!.CheckInIds);
        Assert.Equal(["PO-3"], (await Rollups.GetSupplierAsync("hp", March, default))!.CheckInIds);

        var laptops = (await Rollups.GetCategoryAsync("LAPTOPS", March, default))!;
        Assert.Equal((RollupDimension.Category, "category:laptops:2026-03"), (laptops.Dimension, laptops.Key));
        Assert.Equal(["PO-1", "PO-2"], laptops.CheckInIds);
        Assert.Equal(["PO-3"], (await Rollups.GetCategoryAsync("monitors", March, default))!.CheckInIds);
        Assert.Null(await Rollups.GetCategoryAsync("monitors", "2026-04", default));
        Assert.Null(await Rollups.GetSupplierAsync("Lenovo", March, default));
    }

    public static TheoryData<CheckInStatus, bool, bool> Statuses => new()
    {
        // status, with answers → counted
        { CheckInStatus.Completed, true, true },
        { CheckInStatus.Stopped, true, true },
        { CheckInStatus.Stopped, false, false },
        { CheckInStatus.InProgress, true, false },
        { CheckInStatus.Expired, true, true },
        { CheckInStatus.Expired, false, false },
        { CheckInStatus.Failed, true, false },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task A_completed_check_in_counts_and_a_stopped_or_expired_one_only_with_answers(CheckInStatus status, bool withAnswers, bool counted)
    {
        var checkIn = Finished("PO-1", "overall=2") with { Status = status };

        await RecordAsync(withAnswers ? checkIn : checkIn with { Answers = [] });

        var rollup = await Rollups.GetSupplierAsync("Dell", March, default);
        Assert.Equal(counted, rollup is not null);
        Assert.Equal(counted ? 1 : 0, rollup?.Ratings ?? 0);
    }

    [Fact]
    public async Task A_check_in_without_a_completion_time_counts_in_the_current_month()
    {
        Clock.SetUtcNow(new DateTimeOffset(2026, 5, 20, 12, 0, 0, TimeSpan.Zero));

        await RecordAsync(Finished("PO-1", "overall=5") with { CompletedAt = null });

        Assert.Equal(1, (await Rollups.GetSupplierAsync("Dell", "2026-05", default))!.Responses);
    }

    [Fact]
    public async Task On_Cosmos_DB_concurrent_finishes_are_counted_once_each()
    {
        var emulator = await CosmosEmulator.SharedAsync();
        var database = CosmosEmulator.UniqueDatabaseName("rollups");
        var clients = new List<CosmosClient>();
        try
        {
            var stores = new List<IProcurementStore>();
            for (var i = 0; i < 3; i++)
            {
                var store = CosmosStoreContractTests.NewStore(emulator, database, clients);
                await store.InitializeAsync(default);
                stores.Add(store);
            }

            // Three instances record two check-ins, each of them twice, all at once; the supplier's name needs escaping in a Cosmos DB id.
            var checkIns = new[] { Finished("PO-1", "overall=5 | recommend=10", supplier: "AT&T / Verizon #1"), Finished("PO-2", "overall=2 | recommend=3", supplier: "at&t / verizon #1") };
            await AllAtOnce.RunAsync([.. Enumerable.Range(0, 4).Select(i => (Func<Task<bool>>)(async () =>
            {
                await NewRollups(stores[i % stores.Count]).RecordAsync(checkIns[i % 2], Set(), default);
                return true;
            }))]);

            var rollup = (await NewRollups(stores[0]).GetSupplierAsync("AT&T / Verizon #1", March, default))!;
            Assert.Equal((2, 2, 7, 1, 1, 1), (rollup.Responses, rollup.Ratings, rollup.RatingSum, rollup.Satisfied, rollup.Promoters, rollup.Detractors));
            Assert.Equal(0.0, rollup.Nps);
            Assert.Equal(2, (await NewRollups(stores[1]).GetCategoryAsync("laptops", March, default))!.Responses);
        }
        finally
        {
            using (await clients[0].GetDatabase(database).DeleteStreamAsync())
            {
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }


    [Fact]
    public async Task A_sent_check_in_counts_once_in_the_month_it_went_out_and_makes_the_response_rate()
    {
        var first = Finished("PO-1", "overall=5") with { SentAt = T0 };
        var second = Finished("PO-2", "overall=4") with { SentAt = new DateTimeOffset(2026, 3, 31, 23, 0, 0, TimeSpan.FromHours(-2)) };

        await Rollups.RecordSentAsync(first, default);
        await NewRollups(Connect()).RecordSentAsync(first, default);
        await Rollups.RecordSentAsync(second, default);
        await RecordAsync(first);

        var march = (await Rollups.GetSupplierAsync("Dell", March, default))!;
        Assert.Equal((1, 1, 1.0), (march.Sent, march.Responses, march.ResponseRate));
        Assert.Equal(["PO-1"], march.SentCheckInIds);
        var april = (await Rollups.GetCategoryAsync("laptops", "2026-04", default))!;
        Assert.Equal((1, 0, 0.0), (april.Sent, april.Responses, april.ResponseRate));
        Assert.Null(Rollup.Empty(RollupDimension.Supplier, "Dell", March).ResponseRate);
    }

    [Fact]
    public async Task An_escalation_is_tallied_in_its_month_as_it_goes_from_open_to_overdue_to_resolved_and_back()
    {
        var posted = await PostedAsync();
        Assert.Equal(EscalationTally.Open, await TallyAsync(posted));

        await ActAsync(posted.Id, EscalationVerb.AssignToMe, Bob);
        Assert.Equal(EscalationTally.Open, await TallyAsync(posted));

        Clock.SetUtcNow(T0 + Settings.ResolveWithin);
        await Worker.ProcessDueAsync(default);
        Assert.Equal(EscalationTally.Overdue, await TallyAsync(posted));

        Clock.Advance(TimeSpan.FromDays(40));
        await ActAsync(posted.Id, EscalationVerb.Resolve, Bob, "Replaced the laptop.");
        Assert.Equal(EscalationTally.Resolved, await TallyAsync(posted));

        // Reopened, it is still past its deadline. All of it stays in the month it was raised in.
        await ActAsync(posted.Id, EscalationVerb.Reopen, Bob);
        Assert.Equal(EscalationTally.Overdue, await TallyAsync(posted));
        Assert.Null(await Rollups.GetSupplierAsync(posted.Supplier, Rollup.MonthOf(Clock.GetUtcNow()), default));
    }

    [Fact]
    public async Task A_late_tally_from_another_instance_cannot_bring_back_an_escalations_earlier_state()
    {
        var posted = await PostedAsync();
        var slow = NewRollups(Connect());

        // The change is saved; then this instance tallies it, and another instance's tally of the earlier
        // change arrives only now: it reads the escalation again and writes what is true now.
        var resolved = await ActAsync(posted.Id, EscalationVerb.Resolve, Bob, "Refunded.");
        await slow.RecordEscalationAsync(posted, default);

        Assert.Equal(ActOutcome.Applied, resolved.Outcome);
        Assert.Equal(EscalationTally.Resolved, await TallyAsync(posted));
        var category = (await Rollups.GetCategoryAsync(posted.Category, March, default))!;
        Assert.Equal([posted.Id], category.Escalations.Keys);
    }

    private async Task<EscalationTally?> TallyAsync(Escalation escalation)
    {
        var supplier = await Rollups.GetSupplierAsync(escalation.Supplier, March, default);
        var category = await Rollups.GetCategoryAsync(escalation.Category, March, default);
        Assert.Equal(supplier?.Escalations.GetValueOrDefault(escalation.Id), category?.Escalations.GetValueOrDefault(escalation.Id));
        return supplier is not null && supplier.Escalations.TryGetValue(escalation.Id, out var tally) ? tally : null;
    }

    private Task RecordAsync(CheckIn checkIn) => Rollups.RecordAsync(checkIn, Set(), default);

    /// <summary>A completed check-in (in March unless <paramref name="at"/> says otherwise) with these answers: "overall=5 | onTime=yes", "overall=skip".</summary>
    private static CheckIn Finished(string purchaseId, string answers, string supplier = "Dell", string category = "laptops", DateTimeOffset? at = null)
    {
        var set = Set();
        var parsed = answers.Split(" | ").Select(a => a.Split('=')).Select(p => (Question: set.FindQuestion(p[0])!, Typed: p[1]));
        var checkIn = AnsweredFor(purchaseId, supplier, SetId);
        return checkIn with
        {
            Purchase = checkIn.Purchase with { Category = category },
            CompletedAt = at ?? T0.AddDays(3),
            Answers = [.. parsed.Select(p => p.Typed == "skip" ? Answer.Skip(p.Question, T0) : Answer.Of(p.Question, AnswerParser.Parse(p.Question, p.Typed)!.Value, T0))],
        };
    }

    private static void AssertClose(double? expected, double? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is { } e)
        {
            Assert.Equal(e, actual!.Value, 9);
        }
    }
}
