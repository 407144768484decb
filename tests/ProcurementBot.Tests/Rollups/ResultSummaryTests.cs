using ProcurementBot.Rollups;

namespace ProcurementBot.Tests.Rollups;

/// <summary>The admin summary's arithmetic over several months of rollups.</summary>
public sealed class ResultSummaryTests
{
    [Fact]
    public void Months_are_added_up_per_supplier_and_category_and_the_categories_make_the_totals()
    {
        Rollup[] rollups =
        [
            Counts(RollupDimension.Supplier, "dell", "2026-02", sent: 4, responses: 3, ratings: 3, satisfied: 2, promoters: 2, detractors: 1, onTimeYes: 3, escalations: [("e1", EscalationTally.Resolved)]),
            Counts(RollupDimension.Supplier, " Dell ", "2026-03", sent: 6, responses: 2, ratings: 1, satisfied: 0, promoters: 0, detractors: 1, onTimeNo: 1, escalations: [("e2", EscalationTally.Overdue)]),
            Counts(RollupDimension.Supplier, "HP", "2026-03", sent: 2, responses: 2, ratings: 2, satisfied: 2, escalations: [("e3", EscalationTally.Open)]),
            Counts(RollupDimension.Category, "laptops", "2026-02", sent: 4, responses: 3, ratings: 3, satisfied: 2, promoters: 2, detractors: 1, escalations: [("e1", EscalationTally.Resolved)]),
            Counts(RollupDimension.Category, "laptops", "2026-03", sent: 6, responses: 2, ratings: 1, satisfied: 0, detractors: 1, escalations: [("e2", EscalationTally.Overdue)]),
            Counts(RollupDimension.Category, "monitors", "2026-03", sent: 2, responses: 2, ratings: 2, satisfied: 2, escalations: [("e3", EscalationTally.Open)]),
        ];

        var summary = ResultSummary.Of("2026-02", "2026-03", rollups.Reverse());

        Assert.Equal(("2026-02", "2026-03", 12, 7), (summary.From, summary.To, summary.Sent, summary.Responses));
        Assert.Equal(7.0 / 12, summary.ResponseRate!.Value, 9);
        Assert.Equal(4.0 / 6, summary.Csat!.Value, 9);
        Assert.Equal(0.0, summary.Nps!.Value, 9);
        Assert.Equal(new EscalationCounts(1, 1, 1), summary.Escalations);

        Assert.Equal(["Dell", "HP"], summary.Suppliers.Select(s => s.Name));
        var dell = summary.Suppliers[0];
        Assert.Equal((10, 5, 4, 4, 4, 1), (dell.Sent, dell.Responses, dell.Ratings, dell.NpsAnswers, dell.OnTimeAnswers, dell.Escalations.Resolved));
        Assert.Equal((0.5, 0.5, 0.0, 0.75), (dell.ResponseRate, dell.Csat, dell.Nps, dell.OnTimeRate));
        Assert.Equal(new EscalationCounts(0, 1, 1), dell.Escalations);
        Assert.Equal(["laptops", "monitors"], summary.Categories.Select(c => c.Name));
        Assert.Equal((summary.Sent, summary.Responses), (summary.Categories.Sum(c => c.Sent), summary.Categories.Sum(c => c.Responses)));
    }

    [Fact]
    public void A_period_without_rollups_has_zero_counts_and_no_rates()
    {
        var summary = ResultSummary.Of("2020-01", "2020-01", []);

        Assert.Equal((0, 0, (double?)null, (double?)null, (double?)null), (summary.Sent, summary.Responses, summary.ResponseRate, summary.Csat, summary.Nps));
        Assert.Equal(new EscalationCounts(0, 0, 0), summary.Escalations);
        Assert.Empty(summary.Suppliers);
        Assert.Empty(summary.Categories);
    }

    [Fact]
    public void The_months_of_a_period_run_across_a_year_end()
    {
        Assert.Equal(["2025-11", "2025-12", "2026-01"], ResultSummary.Months(new DateOnly(2025, 11, 1), new DateOnly(2026, 1, 1)));
        Assert.Equal(["2026-03"], ResultSummary.Months(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1)));
    }

    private static Rollup Counts(
        RollupDimension dimension, string name, string month, int sent, int responses, int ratings, int satisfied,
        int promoters = 0, int detractors = 0, int onTimeYes = 0, int onTimeNo = 0, (string Id, EscalationTally Tally)[]? escalations = null) =>
        Rollup.Empty(dimension, name, month) with
        {
            Sent = sent,
            Responses = responses,
            Ratings = ratings,
            RatingSum = satisfied * 5 + (ratings - satisfied),
            Satisfied = satisfied,
            Promoters = promoters,
            Detractors = detractors,
            OnTimeYes = onTimeYes,
            OnTimeNo = onTimeNo,
            Escalations = (escalations ?? []).ToDictionary(e => e.Id, e => e.Tally),
        };
}
