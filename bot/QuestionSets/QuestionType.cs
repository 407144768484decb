using System.Text.Json.Serialization;

namespace ProcurementBot.QuestionSets;

[JsonConverter(typeof(JsonStringEnumConverter<QuestionType>))]
public enum QuestionType
{
    Rating,
    YesNo,
    Choice,
    Text,
    Nps,
}
