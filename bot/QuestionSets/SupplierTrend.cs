namespace ProcurementBot.QuestionSets;

/// <summary>"3 within 30 days": the supplier is escalated at most once per window.</summary>
public sealed record SupplierTrend
{
    public int Count { get; init; } = 3;
    public int WithinDays { get; init; } = 30;
}
