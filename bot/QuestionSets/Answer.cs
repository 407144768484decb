using System.Globalization;

namespace ProcurementBot.QuestionSets;

/// <summary>
/// One answer, stored with the check-in. <see cref="Value"/> is the canonical text form
/// ("4", "yes", a choice, free text); <see cref="Number"/> is set for ratings and NPS.
/// </summary>
public sealed record Answer
{
    public required string QuestionId { get; init; }
    public required QuestionType Type { get; init; }
    public string? Value { get; init; }
    public int? Number { get; init; }
    public bool Skipped { get; init; }
    public required DateTimeOffset AnsweredAt { get; init; }

    public static Answer Skip(Question question, DateTimeOffset at) =>
        new() { QuestionId = question.Id, Type = question.Type, Skipped = true, AnsweredAt = at };

    public static Answer Of(Question question, ParsedValue value, DateTimeOffset at) =>
        new() { QuestionId = question.Id, Type = question.Type, Value = value.Text, Number = value.Number, AnsweredAt = at };

    /// <summary>How the answer reads back to a person.</summary>
    public string Display() => Skipped
        ? "skipped"
        : Type switch
        {
            QuestionType.Rating => $"{Number}/5 {new string('★', Number ?? 0)}",
            QuestionType.Nps => string.Create(CultureInfo.InvariantCulture, $"{Number}/10"),
            QuestionType.YesNo => Value == "yes" ? "Yes" : "No",
            _ => Value ?? "",
        };
}
