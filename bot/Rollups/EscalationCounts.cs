namespace ProcurementBot.Rollups;

/// <summary>Escalations raised in a period, by where they stand now.</summary>
public sealed record EscalationCounts(int Open, int Overdue, int Resolved)
{
    public static EscalationCounts Of(IEnumerable<EscalationTally> tallies)
    {
        var all = tallies.ToList();
        return new(all.Count(t => t == EscalationTally.Open), all.Count(t => t == EscalationTally.Overdue), all.Count(t => t == EscalationTally.Resolved));
    }
}
