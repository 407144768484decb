using System.Text.Json.Serialization;

namespace ProcurementBot.QuestionSets;

[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    Low,
    Medium,
    High,
}
