using System.Text.Json.Serialization;

namespace ProcurementBot.QuestionSets;

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
