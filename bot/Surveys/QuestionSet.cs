using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcurementBot.Surveys;

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

/// <summary>
/// A question set's overrides of when its check-ins are asked, reminded and expired. Null fields use the
/// global <c>CheckIns</c> settings.
/// </summary>
public sealed record CheckInTiming
{
    /// <summary>Local working hours of the requester, e.g. <c>09:00</c>–<c>17:00</c> Monday to Friday.</summary>
    public QuestionSetWorkingHours? WorkingHours { get; init; }

    /// <summary>Hours after sending (and after each reminder) before an unanswered check-in is reminded.</summary>
    public double? ReminderAfterHours { get; init; }

    /// <summary>How many reminders at most; 0 for none.</summary>
    public int? MaxReminders { get; init; }

    /// <summary>Hours after sending when an unanswered check-in expires.</summary>
    public double? ExpireAfterHours { get; init; }
}

/// <summary>
/// A set's working hours. Start and end come as a pair, since one alone combined with the global other could
/// make a window that never opens; days left out are the global days.
/// </summary>
public sealed record QuestionSetWorkingHours
{
    [JsonConverter(typeof(HourMinuteJsonConverter))]
    public required TimeOnly Start { get; init; }

    /// <summary>Exclusive, and after <see cref="Start"/> on the same day.</summary>
    [JsonConverter(typeof(HourMinuteJsonConverter))]
    public required TimeOnly End { get; init; }

    public IReadOnlyList<DayOfWeek>? Days { get; init; }
}

/// <summary>Times of day as admins write working hours: <c>"09:00"</c>, nothing else.</summary>
internal sealed class HourMinuteJsonConverter : JsonConverter<TimeOnly>
{
    public const string Format = "HH:mm";

    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
        && TimeOnly.TryParseExact(reader.GetString(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new JsonException("A time of day must be text of the form HH:mm.");

    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(Format, CultureInfo.InvariantCulture));
}

[JsonConverter(typeof(JsonStringEnumConverter<QuestionType>))]
public enum QuestionType
{
    Rating,
    YesNo,
    Choice,
    Text,
    Nps,
}

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

[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    Low,
    Medium,
    High,
}

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

/// <summary>"3 within 30 days": the supplier is escalated at most once per window.</summary>
public sealed record SupplierTrend
{
    public int Count { get; init; } = 3;
    public int WithinDays { get; init; } = 30;
}
