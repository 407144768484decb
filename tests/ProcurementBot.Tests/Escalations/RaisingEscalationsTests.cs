using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.QuestionSets;
using ProcurementBot.Storage;

namespace ProcurementBot.Tests.Escalations;

/// <summary>Which answers escalate, what the escalation says, and that each check-in escalates once.</summary>
public sealed class RaisingEscalationsTests : EscalationHarness
{
    public static TheoryData<string, string[]> RulesFired => new()
    {
        // answers ("question=as typed", separated by " | ") → rules that fire, in the set's order
        { "overall=1", ["low-rating"] },
        { "overall=2", ["low-rating"] },
        { "overall=3", [] },
        { "onTime=no", ["late"] },
        { "onTime=late again", ["late"] },
        { "onTime=yes", [] },
        { "recommend=0", ["detractor"] },
        { "recommend=6", ["detractor"] },
        { "recommend=7", [] },
        { "comment=It caught fire!", ["safety"] },
        { "comment=fire", ["safety"] },
        { "comment=FIRE in the box", ["safety"] },
        { "comment=smoke, then nothing", ["safety"] },
        { "comment=Our firewall blocks it", [] },
        { "comment=a bonfire of paperwork", [] },
        { "comment=I got an Electric Shock from it", ["safety"] },
        { "comment=electric shocks aside, fine", [] },
        { "comment=an electric kettle that shocked nobody", [] },
        { "overall=4 | onTime=yes | recommend=9 | comment=All good", [] },
        { "overall=1 | onTime=no | recommend=3 | comment=there was smoke", ["low-rating", "late", "detractor", "safety"] },
    };

    [Theory]
    [MemberData(nameof(RulesFired))]
    public async Task An_answer_escalates_exactly_when_a_rule_holds(string answers, string[] rules)
    {
        var escalation = await RaiseAsync(Answered("PO-1", Parse(answers)));

        Assert.Equal(rules, escalation?.Rules.Select(r => r.RuleId) ?? []);
    }

    public static TheoryData<string, Severity> Severities => new()
    {
        { "recommend=5", Severity.Low },
        { "onTime=no", Severity.Medium },
        { "onTime=no | recommend=5", Severity.Medium },
        { "overall=2 | onTime=no | recommend=5", Severity.High },
        { "recommend=5 | comment=it gave off smoke", Severity.High },
    };

    [Theory]
    [MemberData(nameof(Severities))]
    public async Task Several_rules_give_the_highest_severity(string answers, Severity severity)
    {
        var escalation = await RaiseAsync(Answered("PO-1", Parse(answers)));

        Assert.Equal(severity, escalation?.Severity);
    }

    [Fact]
    public async Task The_escalation_carries_the_purchase_requester_answers_comment_and_every_rule_described()
    {
        var checkIn = Answered("PO-1", ("overall", "1"), ("onTime", "no"), ("comment", "It caught fire!"));

        var escalation = await RaiseAsync(checkIn);

        Assert.NotNull(escalation);
        Assert.Equal((EscalationKind.CheckIn, "PO-1", "Dell", "laptops", EscalationStatus.Open, 0), (escalation.Kind, escalation.CheckInId, escalation.Supplier, escalation.Category, escalation.Status, escalation.Revision));
        Assert.Equal(checkIn.Purchase, escalation.Purchase);
        Assert.Equal(("Alice Wong", "alice@contoso.com", Requester.PersonId), (escalation.RequesterName, escalation.RequesterEmail, escalation.RequesterPersonId));
        Assert.Equal(
            [("How happy are you with Latitude 7450 from Dell?", "1/5 ★"), ("Did it arrive when you needed it?", "No"), ("Anything else?", "It caught fire!")],
            escalation.Answers.Select(a => (a.Question, a.Answer)));
        Assert.Equal("It caught fire!", escalation.Comment);
        Assert.Equal(
            [("low-rating", Severity.High, "Rated 2 or less"), ("late", Severity.Medium, "\"Did it arrive when you needed it?\" answered \"no\""), ("safety", Severity.High, "Safety concern")],
            escalation.Rules.Select(r => (r.RuleId, r.Severity, r.Description)));
        Assert.Equal((T0, (DateTimeOffset?)T0), (escalation.CreatedAt, escalation.NextActionAt));
    }

    [Fact]
    public async Task An_anonymous_set_keeps_the_requester_off_the_escalation_but_they_still_hear_the_resolution()
    {
        var checkIn = AnsweredFor("PO-1", "Dell", "anonymous", ("overall", "1"));

        var escalation = await RaiseAsync(checkIn);

        Assert.NotNull(escalation);
        Assert.Equal((null, null), (escalation.RequesterName, escalation.RequesterEmail));
        var document = StoreJson.Serialize(escalation);
        Assert.DoesNotContain(Requester.Email!, document, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Requester.Name, document, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("PO-1", escalation.Purchase?.PurchaseId);

        Assert.Equal(ActOutcome.Applied, (await ActAsync(escalation.Id, EscalationVerb.Resolve, Admin, "Dell is replacing it.")).Outcome);

        var (to, text) = Assert.Single(Gateway.Sent);
        Assert.Equal(Requester.PersonId, to);
        Assert.Contains("Dell is replacing it.", text, StringComparison.Ordinal);
        Assert.Contains("PO-1", text, StringComparison.Ordinal);
    }

    public static TheoryData<CheckInStatus, bool> Finished => new()
    {
        { CheckInStatus.Completed, true },
        { CheckInStatus.Stopped, true },
        { CheckInStatus.InProgress, false },
        { CheckInStatus.Expired, true },
        { CheckInStatus.Failed, false },
        { CheckInStatus.OptedOut, false },
    };

    [Theory]
    [MemberData(nameof(Finished))]
    public async Task Only_a_finished_check_in_escalates(CheckInStatus status, bool escalates)
    {
        var escalation = await RaiseAsync(Answered("PO-1", ("overall", "1")) with { Status = status });

        Assert.Equal(escalates, escalation is not null);
    }

    [Fact]
    public async Task A_check_in_escalates_once_however_often_it_is_raised()
    {
        var checkIn = Answered("PO-1", ("overall", "1"));
        var first = await RaiseAsync(checkIn);
        Clock.Advance(TimeSpan.FromMinutes(5));

        await RaiseAsync(checkIn);
        await RaiseAsync(checkIn with { Answers = [.. checkIn.Answers, .. Answered("PO-1", ("onTime", "no")).Answers] });

        var stored = await Store.GetEscalationAsync(Escalation.IdForCheckIn("PO-1"), default);
        Assert.Equal((first!.ETag, T0), (stored!.ETag, stored.CreatedAt));
        Assert.Equal(["low-rating"], stored.Rules.Select(r => r.RuleId));
        Assert.Single((await Store.GetSupplierSignalsAsync("dell", default))!.LowRatings);
        await RegisterAsync();
        await Worker.ProcessDueAsync(default);
        Assert.Equal([stored.Id], Channel.Posts.Select(p => p.Id));
    }

    [Fact]
    public async Task A_check_in_raised_from_several_threads_at_once_escalates_once()
    {
        var checkIn = Answered("PO-1", ("overall", "1"));
        var services = Enumerable.Range(0, 3).Select(_ => NewService(Connect())).Append(Service).ToList();

        await AllAtOnce.RunAsync([.. services.SelectMany(s => new[] { s, s }).Select(s => (Func<Task<bool>>)(async () =>
        {
            await s.RaiseForCheckInAsync(checkIn, default);
            return true;
        }))]);

        Assert.Single((await Store.GetSupplierSignalsAsync("dell", default))!.LowRatings);
        await RegisterAsync();
        Assert.Equal(1, await Worker.ProcessDueAsync(default));
        Assert.Equal([Escalation.IdForCheckIn("PO-1")], Channel.Posts.Select(p => p.Id));
    }

    // Supplier trends: the set's rule is 3 ratings of 2 or less within 30 days.

    [Fact]
    public async Task Three_low_ratings_for_one_supplier_within_the_window_escalate_the_supplier_once()
    {
        await LowRatingAsync("PO-1", day: 0);
        await LowRatingAsync("PO-2", day: 10);
        Assert.Empty(await SupplierEscalationsAsync());

        await LowRatingAsync("PO-3", day: 29);

        var trend = Assert.Single(await SupplierEscalationsAsync());
        Assert.Equal(("Dell", Severity.High, EscalationStatus.Open), (trend.Supplier, trend.Severity, trend.Status));
        Assert.Equal(["supplier-trend"], trend.Rules.Select(r => r.RuleId));
        Assert.Equal(["PO-1", "PO-2", "PO-3"], trend.RelatedCheckIns);
        Assert.Null(trend.RequesterPersonId);

        await LowRatingAsync("PO-4", day: 29);
        await LowRatingAsync("PO-5", day: 30);
        Assert.Single(await SupplierEscalationsAsync());
    }

    [Fact]
    public async Task Low_ratings_spread_wider_than_the_window_do_not_make_a_trend()
    {
        await LowRatingAsync("PO-1", day: 0);
        await LowRatingAsync("PO-2", day: 20);
        await LowRatingAsync("PO-3", day: 31);
        await RaiseAsync(AnsweredFor("PO-4", "Dell", SetId, ("overall", "3")));

        Assert.Empty(await SupplierEscalationsAsync());
    }

    [Fact]
    public async Task After_the_window_a_new_trend_of_fresh_low_ratings_escalates_again()
    {
        foreach (var (id, day) in new[] { ("PO-1", 0), ("PO-2", 1), ("PO-3", 2), ("PO-4", 3) })
        {
            await LowRatingAsync(id, day);
        }

        // One more low rating after the window does not re-escalate on the strength of ratings already escalated.
        await LowRatingAsync("PO-5", day: 31);
        Assert.Single(await SupplierEscalationsAsync());

        await LowRatingAsync("PO-6", day: 32);
        await LowRatingAsync("PO-7", day: 33);

        var trends = await SupplierEscalationsAsync();
        Assert.Equal([["PO-1", "PO-2", "PO-3"], ["PO-5", "PO-6", "PO-7"]], trends.Select(t => t.RelatedCheckIns.ToArray()));
    }

    [Fact]
    public async Task Suppliers_are_counted_separately_whatever_the_case_of_their_name()
    {
        await LowRatingAsync("PO-1", day: 0, supplier: "Dell");
        await LowRatingAsync("PO-2", day: 1, supplier: "HP");
        await LowRatingAsync("PO-3", day: 2, supplier: " DELL ");
        await LowRatingAsync("PO-4", day: 3, supplier: "HP");
        Assert.Empty(await SupplierEscalationsAsync());

        await LowRatingAsync("PO-5", day: 4, supplier: "dell");

        var trend = Assert.Single(await SupplierEscalationsAsync());
        Assert.Equal(["PO-1", "PO-3", "PO-5"], trend.RelatedCheckIns);
    }

    [Fact]
    public async Task A_trend_whose_escalation_was_lost_in_a_crash_is_raised_when_the_answer_is_retried()
    {
        await LowRatingAsync("PO-1", day: 0);
        await LowRatingAsync("PO-2", day: 1);

        // The process saved PO-3's count, which completed the trend, and stopped before raising the escalation.
        Clock.SetUtcNow(T0.AddDays(2));
        var signals = (await Store.GetSupplierSignalsAsync("dell", default))!;
        var windowStart = signals.LowRatings[0].At;
        var id = $"supplier:dell:supplier-trend:{windowStart.ToUnixTimeSeconds()}";
        Assert.NotNull(await Store.TrySaveSupplierSignalsAsync(signals with
        {
            LowRatings = [.. signals.LowRatings, new LowRating("PO-3", "supplier-trend", Clock.GetUtcNow(), id)],
            LastTrendWindowStarts = new Dictionary<string, DateTimeOffset> { ["supplier-trend"] = windowStart },
        }, default));
        Assert.Empty(await SupplierEscalationsAsync());

        // The channel retries the answer: the check-in is already counted, and the missing escalation is raised.
        await LowRatingAsync("PO-3", day: 2);

        var trend = Assert.Single(await SupplierEscalationsAsync());
        Assert.Equal(id, trend.Id);
        Assert.Equal(["PO-1", "PO-2", "PO-3"], trend.RelatedCheckIns);
        await LowRatingAsync("PO-3", day: 2);
        Assert.Single(await SupplierEscalationsAsync());
    }

    [Fact]
    public async Task Two_trend_rules_on_one_supplier_keep_their_own_windows()
    {
        var set = Set() with
        {
            Id = "two-trends",
            EscalationRules =
            [
                new() { Id = "low-trend", When = new() { Question = "overall", AtMost = 2 }, Trend = new() { Count = 2, WithinDays = 30 }, Severity = Severity.High },
                new() { Id = "late-trend", When = new() { Question = "onTime", EqualsValue = "no" }, Trend = new() { Count = 2, WithinDays = 30 }, Severity = Severity.Medium },
            ],
        };
        await Store.AddQuestionSetVersionAsync(set, default);

        // Two low ratings make a low-rating trend; its window must not swallow the late deliveries' trend.
        foreach (var (id, day, rating, onTime) in new[] { ("PO-1", 0, "1", "yes"), ("PO-2", 1, "2", "no"), ("PO-3", 2, "5", "no") })
        {
            Clock.SetUtcNow(T0.AddDays(day));
            await Service.RaiseForCheckInAsync(AnsweredFor(id, "Dell", set.Id, ("overall", rating), ("onTime", onTime)), default);
        }

        var trends = await SupplierEscalationsAsync();
        Assert.Equal(["low-trend", "late-trend"], trends.Select(t => t.Rules[0].RuleId));
        Assert.Equal([["PO-1", "PO-2"], ["PO-2", "PO-3"]], trends.Select(t => t.RelatedCheckIns.ToArray()));
    }

    [Fact]
    public async Task The_same_check_in_counts_once_towards_a_trend()
    {
        await LowRatingAsync("PO-1", day: 0);
        await LowRatingAsync("PO-1", day: 1);
        await LowRatingAsync("PO-2", day: 2);
        await LowRatingAsync("PO-2", day: 3);
        Assert.Empty(await SupplierEscalationsAsync());

        await LowRatingAsync("PO-3", day: 4);

        Assert.Single(await SupplierEscalationsAsync());
    }

    private static (string Question, string Typed)[] Parse(string answers) =>
        [.. answers.Split(" | ").Select(a => (a[..a.IndexOf('=', StringComparison.Ordinal)], a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..]))];

    private async Task LowRatingAsync(string purchaseId, int day, string supplier = "Dell")
    {
        Clock.SetUtcNow(T0.AddDays(day));
        await Service.RaiseForCheckInAsync(AnsweredFor(purchaseId, supplier, SetId, ("overall", "2")), default);
    }

    /// <summary>Supplier escalations raised so far, oldest first: the worker posts whatever is due and the posts are read back.</summary>
    private async Task<IReadOnlyList<Escalation>> SupplierEscalationsAsync()
    {
        if ((await Store.GetEscalationDestinationsAsync(default)).Count == 0)
        {
            await RegisterAsync();
        }

        while (await Worker.ProcessDueAsync(default) > 0)
        {
        }

        var posted = new List<Escalation>();
        foreach (var (id, _) in Channel.Posts)
        {
            posted.Add((await Store.GetEscalationAsync(id, default))!);
        }

        return [.. posted.Where(e => e.Kind == EscalationKind.SupplierTrend)];
    }
}
