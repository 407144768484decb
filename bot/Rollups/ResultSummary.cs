using System.Globalization;

namespace ProcurementBot.Rollups;

/// <summary>
/// The results of whole months (UTC) from their rollups: response rate, CSAT, NPS and on-time delivery
/// overall and per supplier and category, and the period's escalations by state. Every check-in and
/// escalation belongs to exactly one category, so the categories add up to the totals.
/// </summary>
public sealed record ResultSummary(
    string From, string To, int Sent, int Responses, int Expired, double? ResponseRate, double? Csat, double? Nps,
    EscalationCounts Escalations, IReadOnlyList<ResultLine> Suppliers, IReadOnlyList<ResultLine> Categories)
{
    /// <summary>The longest period one summary covers: each month is one read of the store.</summary>
    public const int MaxMonths = 36;

    /// <summary>Sums <paramref name="rollups"/> (of the months <paramref name="from"/> to <paramref name="to"/>, <c>yyyy-MM</c>) per supplier and category.</summary>
    public static ResultSummary Of(string from, string to, IEnumerable<Rollup> rollups)
    {
        var lines = rollups
            .OrderBy(r => r.Month, StringComparer.Ordinal)
            .GroupBy(r => (r.Dimension, Name: r.Key[..^(r.Month.Length + 1)]))
            .Select(g => (g.Key.Dimension, Total: g.Aggregate(Add)))
            .ToList();
        var categories = lines.Where(l => l.Dimension == RollupDimension.Category).Select(l => l.Total).ToList();
        var total = categories.Count == 0 ? null : categories.Aggregate(Add);
        return new ResultSummary(
            from, to, total?.Sent ?? 0, total?.Responses ?? 0, total?.Expired ?? 0, total?.ResponseRate, total?.Csat, total?.Nps,
            EscalationCounts.Of(total?.Escalations.Values ?? []),
            Lines(lines.Where(l => l.Dimension == RollupDimension.Supplier).Select(l => l.Total)),
            Lines(categories));
    }

    /// <summary>The months from <paramref name="from"/> to <paramref name="to"/> (<c>yyyy-MM</c>), in order.</summary>
    public static IEnumerable<string> Months(DateOnly from, DateOnly to)
    {
        for (var month = new DateOnly(from.Year, from.Month, 1); month <= to; month = month.AddMonths(1))
        {
            yield return month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        }
    }

    private static List<ResultLine> Lines(IEnumerable<Rollup> totals) =>
    [
        .. totals
            .Select(r => new ResultLine(
                r.Name, r.Sent, r.Responses, r.Expired, r.ResponseRate, r.Ratings, r.Csat, r.AverageRating,
                r.Promoters + r.Passives + r.Detractors, r.Nps,
                r.OnTimeYes + r.OnTimeNo, r.OnTimeYes + r.OnTimeNo == 0 ? null : (double)r.OnTimeYes / (r.OnTimeYes + r.OnTimeNo),
                EscalationCounts.Of(r.Escalations.Values)))
            .OrderByDescending(l => l.Responses).ThenBy(l => l.Name, StringComparer.OrdinalIgnoreCase),
    ];

    /// <summary>Two rollups' counts together; the later one's name (the latest spelling) is kept.</summary>
    private static Rollup Add(Rollup earlier, Rollup later) => later with
    {
        Sent = earlier.Sent + later.Sent,
        Expired = earlier.Expired + later.Expired,
        Responses = earlier.Responses + later.Responses,
        Ratings = earlier.Ratings + later.Ratings,
        RatingSum = earlier.RatingSum + later.RatingSum,
        Satisfied = earlier.Satisfied + later.Satisfied,
        Promoters = earlier.Promoters + later.Promoters,
        Passives = earlier.Passives + later.Passives,
        Detractors = earlier.Detractors + later.Detractors,
        OnTimeYes = earlier.OnTimeYes + later.OnTimeYes,
        OnTimeNo = earlier.OnTimeNo + later.OnTimeNo,
        Escalations = new Dictionary<string, EscalationTally>(earlier.Escalations.Concat(later.Escalations).DistinctBy(e => e.Key), StringComparer.Ordinal),
    };
}
