using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ProcurementBot.Http;
using ProcurementBot.Storage;

namespace ProcurementBot.QuestionSets;

/// <summary>
/// Reads a question set sent by an admin. Text that is not JSON throws <see cref="MalformedInputException"/>; JSON of
/// the wrong shape (an unknown question type, a misspelt field, a number as text) becomes a
/// <see cref="ValidationError"/> at the field, as the validator reports its own findings.
/// </summary>
public static partial class QuestionSetJson
{
    private static readonly JsonSerializerOptions Strict = StrictOptions();

    /// <summary>How sets are shown to admins: as the schema spells them, enum values in camelCase, nulls left out.</summary>
    public static JsonSerializerOptions Output { get; } = OutputOptions();

    public sealed record Reading(QuestionSet? Set, IReadOnlyList<ValidationError> Errors);

    public static Reading Read(ReadOnlySpan<byte> utf8)
    {
        using var document = BodyReader.ParseJson(utf8.ToArray(), 32, "Malformed JSON", "a question set");
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return new(null, [new("", "The body must be one question set: a JSON object.")]);
        }

        try
        {
            var set = document.RootElement.Deserialize<QuestionSet>(Strict)!;
            var holes = NullItems(set);
            return new(holes.Count == 0 ? set : null, holes);
        }
        catch (JsonException ex)
        {
            return new(null, [ErrorOf(ex, document.RootElement)]);
        }
    }

    private static JsonSerializerOptions OutputOptions()
    {
        var options = new JsonSerializerOptions(StoreJson.Options);
        options.Converters.Insert(0, new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }

    private static JsonSerializerOptions StrictOptions()
    {
        var options = new JsonSerializerOptions(StoreJson.Options)
        {
            RespectNullableAnnotations = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };

        // Enum values by name only: a number would be read as a question type that does not exist.
        options.Converters.Insert(0, new JsonStringEnumConverter(allowIntegerValues: false));
        options.Converters.Insert(0, new DayNameConverter());
        return options;
    }

    /// <summary>
    /// One day's name in any case. The enum converter reads "monday, tuesday" as the flags Monday|Tuesday,
    /// which is Wednesday.
    /// </summary>
    private sealed class DayNameConverter : JsonConverter<DayOfWeek>
    {
        public override DayOfWeek Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return Enum.GetNames<DayOfWeek>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name
                ? Enum.Parse<DayOfWeek>(name)
                : throw new JsonException("A day must be the name of one day.");
        }

        public override void Write(Utf8JsonWriter writer, DayOfWeek value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString().ToLowerInvariant());
    }

    /// <summary><c>$.questions[2].type</c> as the JSON pointer <c>/questions/2/type</c>.</summary>
    public static string PointerOf(string? path) =>
        path is null or "$" ? "" : BracketIndex().Replace(path.TrimStart('$'), "/$1").Replace('.', '/');

    private static ValidationError ErrorOf(JsonException ex, JsonElement root)
    {
        var pointer = PointerOf(ex.Path);
        var message = ex.Message;
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            return new(pointer, $"Required fields are missing here: {missing.Groups[1].Value}.");
        }

        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            return new(pointer, $"'{unmapped.Groups[1].Value}' is not a field of the question set format (see /api/admin/question-sets/schema).");
        }

        if (message.Contains("doesn't allow setting null", StringComparison.Ordinal))
        {
            return new(pointer, "This field must not be null.");
        }

        var value = ValueAt(root, pointer);
        if (pointer.StartsWith("/timing/workingHours/days/", StringComparison.Ordinal))
        {
            return new(pointer, $"{value} is not a day; use monday, tuesday, wednesday, thursday, friday, saturday or sunday.");
        }

        return pointer.Split('/')[^1] switch
        {
            "start" or "end" when pointer.StartsWith("/timing/workingHours/", StringComparison.Ordinal) =>
                new(pointer, $"{value} is not a time of day; write hours and minutes from 00:00 to 23:59, e.g. \"09:00\"."),
            "type" when pointer.StartsWith("/questions/", StringComparison.Ordinal) =>
                new(pointer, $"{value} is not a question type; use rating, yesNo, choice, text or nps."),
            "severity" => new(pointer, $"{value} is not a severity; use low, medium or high."),
            _ => new(pointer, $"{value} is not the kind of value this field takes ({Expected(message)})."),
        };
    }

    private static string Expected(string message) => message switch
    {
        _ when message.Contains("System.Int32", StringComparison.Ordinal) => "a whole number",
        _ when message.Contains("System.Double", StringComparison.Ordinal) => "a number",
        _ when message.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
        _ when message.Contains("System.String", StringComparison.Ordinal) => "text",
        _ when message.Contains("IReadOnlyList", StringComparison.Ordinal) => "a list",
        _ => "an object",
    };

    private static string ValueAt(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(part, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(part, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return "This value";
            }
        }

        var text = current.GetRawText();
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    /// <summary>Null items in lists, which nullable annotations do not cover.</summary>
    private static List<ValidationError> NullItems(QuestionSet set)
    {
        var errors = new List<ValidationError>();
        void Check<T>(IReadOnlyList<T?> items, string at)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is null)
                {
                    errors.Add(new($"{at}/{i}", "This item must not be null."));
                }
            }
        }

        Check(set.Categories, "/categories");
        Check(set.Questions, "/questions");
        Check(set.EscalationRules, "/escalationRules");
        for (var i = 0; i < set.Questions.Count; i++)
        {
            if (set.Questions[i] is { } q)
            {
                Check(q.Choices, $"/questions/{i}/choices");
            }
        }

        return errors;
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex BracketIndex();

    [GeneratedRegex("missing required properties including: (.+?)\\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("The JSON property '(.+?)' could not be mapped")]
    private static partial Regex Unmapped();
}
