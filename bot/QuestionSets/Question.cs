namespace ProcurementBot.QuestionSets;

public sealed record Question
{
    public required string Id { get; init; }
    public required QuestionType Type { get; init; }

    /// <summary>May name <c>{supplier}</c>, <c>{description}</c>, <c>{category}</c> and <c>{purchaseId}</c>.</summary>
    public required string Text { get; init; }

    public bool Required { get; init; } = true;

    /// <summary>For <see cref="QuestionType.Choice"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Asked only when this holds for the earlier answers.</summary>
    public Condition? ShowIf { get; init; }
}
