using System.Globalization;
using System.Text.RegularExpressions;

namespace ProcurementBot.QuestionSets;

/// <summary>
/// Turns what a person typed or picked into an answer: "4", "four", "4/5", "★★★★", "yes", "nope".
/// Returns null when the text does not answer the question, so the caller can re-prompt.
/// </summary>
public static partial class AnswerParser
{
    private static readonly string[] NumberWords =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    private static readonly HashSet<string> Yes = new(StringComparer.OrdinalIgnoreCase)
    {
        "yes", "y", "yeah", "yea", "yep", "yup", "sure", "ok", "okay", "correct", "true", "absolutely",
        "definitely", "of course", "it did", "on time", "👍", "✅", "ja", "oui", "si", "sí",
    };

    private static readonly HashSet<string> No = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "n", "nope", "nah", "not really", "no way", "false", "never", "it didn't", "it did not",
        "late", "👎", "❌", "nein", "non",
    };

    // Words that make a free-form reply to a yes/no question a "no": "late again", "it was delayed".
    private static readonly string[] NegativeHints = ["late", "delay", "didn't", "did not", "never", "wasn't", "not on time", "too slow"];

    public static ParsedValue? Parse(Question question, string? input)
    {
        var text = Normalize(input);
        if (text.Length == 0)
        {
            return null;
        }

        return question.Type switch
        {
            QuestionType.Rating => ParseScale(text, 1, 5) is { } r ? new ParsedValue(r.ToString(CultureInfo.InvariantCulture), r) : null,
            QuestionType.Nps => ParseScale(text, 0, 10) is { } n ? new ParsedValue(n.ToString(CultureInfo.InvariantCulture), n) : null,
            QuestionType.YesNo => ParseYesNo(text) is { } yes ? new ParsedValue(yes ? "yes" : "no") : null,
            QuestionType.Choice => ParseChoice(question.Choices, text) is { } choice ? new ParsedValue(choice) : null,
            // Free text is kept as the person wrote it, only trimmed.
            QuestionType.Text => new ParsedValue(input!.Trim()),
            _ => null,
        };
    }

    /// <summary>A short hint of what the question accepts, for re-prompts.</summary>
    public static string Expected(Question question) => question.Type switch
    {
        QuestionType.Rating => "a rating from 1 (bad) to 5 (great)",
        QuestionType.Nps => "a number from 0 (not at all likely) to 10 (extremely likely)",
        QuestionType.YesNo => "yes or no",
        QuestionType.Choice => "one of: " + string.Join(", ", question.Choices.Select((c, i) => $"{i + 1}. {c}")),
        _ => "a few words",
    };

    private static string Normalize(string? input)
    {
        var text = (input ?? "").Trim();
        text = TrailingPunctuation().Replace(text, "");
        return WhiteSpace().Replace(text, " ");
    }

    internal static int? ParseScale(string text, int min, int max)
    {
        var stars = text.Count(c => c is '★' or '⭐' or '*');
        var rest = text.Replace("★", "", StringComparison.Ordinal).Replace("⭐", "", StringComparison.Ordinal).Replace("*", "", StringComparison.Ordinal).Replace("\uFE0F", "", StringComparison.Ordinal).Trim();
        if (stars > 0 && rest.Length == 0)
        {
            return stars >= min && stars <= max ? stars : null;
        }

        var match = ScaleAnswer().Match(text.ToLowerInvariant());
        if (!match.Success)
        {
            return null;
        }

        var token = match.Groups["n"].Value;
        int value;
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            value = Array.IndexOf(NumberWords, token);
        }

        if (match.Groups["of"].Success
            && int.TryParse(match.Groups["of"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var outOf)
            && outOf != max)
        {
            return null;
        }

        return value >= min && value <= max ? value : null;
    }

    internal static bool? ParseYesNo(string text)
    {
        if (Yes.Contains(text))
        {
            return true;
        }

        if (No.Contains(text))
        {
            return false;
        }

        var first = FirstWord().Match(text).Value;
        if (first.Length > 0 && No.Contains(first))
        {
            return false;
        }

        var lower = text.ToLowerInvariant();
        if (NegativeHints.Any(lower.Contains))
        {
            return false;
        }

        return first.Length > 0 && Yes.Contains(first) ? true : null;
    }

    private static string? ParseChoice(IReadOnlyList<string> choices, string text)
    {
        var exact = choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 1 && index <= choices.Count)
        {
            return choices[index - 1];
        }

        var prefixed = choices.Where(c => c.StartsWith(text, StringComparison.OrdinalIgnoreCase)).ToList();
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    [GeneratedRegex(@"[.!]+$")]
    private static partial Regex TrailingPunctuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"^\p{L}+('\p{L}+)?")]
    private static partial Regex FirstWord();

    // "4", "four", "4/5", "4 / 5", "4 out of 5", "4 stars", "a 4", "10/10"
    [GeneratedRegex(@"^(?:an?\s+|i'?d say\s+|maybe\s+)?(?<n>\d{1,2}|zero|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*(?:/|out of|of)\s*(?<of>\d{1,2}))?(?:\s*(?:stars?|points?))?$")]
    private static partial Regex ScaleAnswer();
}
