namespace ProcurementBot.QuestionSets;

/// <summary>
/// When answers call for a person in procurement. Without <see cref="Trend"/>, the check-in whose
/// answers meet <see cref="When"/> is escalated. With it, each such check-in counts against its
/// supplier, and the supplier itself is escalated once enough count within the window.
/// </summary>
public sealed record EscalationRule
{
    public required string Id { get; init; }
    public required Condition When { get; init; }
    public Severity Severity { get; init; } = Severity.Medium;

    /// <summary>What the card says fired; a sentence made from the condition when absent.</summary>
    public string? Description { get; init; }

    public SupplierTrend? Trend { get; init; }
}
