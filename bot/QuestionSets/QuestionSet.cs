namespace ProcurementBot.QuestionSets;

/// <summary>What is asked after a purchase in some categories, and when.</summary>
public sealed record QuestionSet
{
    public required string Id { get; init; }
    public int Version { get; init; } = 1;
    public required string Name { get; init; }

    /// <summary>Purchase categories this set applies to (case-insensitive).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The set used when no other set claims a purchase's category.</summary>
    public bool IsDefault { get; init; }

    /// <summary>How long after delivery the check-in is due, unless the caller gives <c>checkInAt</c>.</summary>
    public double CheckInDelayHours { get; init; } = 24;

    /// <summary>This set's own timing; each unset field falls back to the <c>CheckIns</c> settings.</summary>
    public CheckInTiming? Timing { get; init; }

    /// <summary>Escalations do not name the requester.</summary>
    public bool Anonymous { get; init; }

    public required IReadOnlyList<Question> Questions { get; init; }

    public IReadOnlyList<EscalationRule> EscalationRules { get; init; } = [];

    public Question? FindQuestion(string id) => Questions.FirstOrDefault(q => q.Id == id);
}
