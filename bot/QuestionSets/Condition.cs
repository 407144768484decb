using System.Text.Json.Serialization;

namespace ProcurementBot.QuestionSets;

/// <summary>A test on one earlier answer. Exactly one comparison is set.</summary>
public sealed record Condition
{
    public required string Question { get; init; }
    public int? AtMost { get; init; }
    public int? AtLeast { get; init; }

    /// <summary>For yes/no ("yes", "no") and choice answers (the choice text).</summary>
    [JsonPropertyName("equals")]
    public string? EqualsValue { get; init; }

    /// <summary>True when the answer was skipped or never given.</summary>
    public bool? Unanswered { get; init; }

    /// <summary>For free-text answers: holds when the text contains any of these words or phrases (case-insensitive).</summary>
    public IReadOnlyList<string>? ContainsAny { get; init; }

    public bool IsSatisfiedBy(IReadOnlyDictionary<string, Answer> answers)
    {
        answers.TryGetValue(Question, out var answer);
        if (Unanswered is { } wantUnanswered)
        {
            return wantUnanswered == (answer is null || answer.Skipped);
        }

        if (answer is null || answer.Skipped)
        {
            return false;
        }

        if (AtMost is { } most)
        {
            return answer.Number is { } n && n <= most;
        }

        if (AtLeast is { } least)
        {
            return answer.Number is { } n && n >= least;
        }

        if (ContainsAny is { } words)
        {
            return answer.Value is { } text && words.Any(w => ContainsWord(text, w));
        }

        return EqualsValue is not null && string.Equals(answer.Value, EqualsValue, StringComparison.OrdinalIgnoreCase);
    }

    internal int ComparisonCount =>
        (AtMost is null ? 0 : 1) + (AtLeast is null ? 0 : 1) + (EqualsValue is null ? 0 : 1) + (Unanswered is null ? 0 : 1)
        + (ContainsAny is null ? 0 : 1);

    /// <summary>"broken" matches "It arrived broken." but not "unbroken".</summary>
    private static bool ContainsWord(string text, string word)
    {
        var needle = word.Trim();
        for (var at = text.IndexOf(needle, StringComparison.OrdinalIgnoreCase); at >= 0 && needle.Length > 0;
             at = text.IndexOf(needle, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + needle.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return true;
            }
        }

        return false;
    }
}
