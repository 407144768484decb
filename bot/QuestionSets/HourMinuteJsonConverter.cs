using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcurementBot.QuestionSets;

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
