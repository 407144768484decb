using System.Globalization;

namespace ProcurementBot.Http;

/// <summary>
/// The dates a client may send. Dates near <see cref="DateTimeOffset.MinValue"/> or <see cref="DateTimeOffset.MaxValue"/>
/// parse, but adding a delay or subtracting a period to them overflows deep inside; no real purchase or query needs
/// them, so they are refused where they enter, naming this range.
/// </summary>
public static class InputDates
{
    public static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Exclusive; leaves the years after it for the arithmetic done on accepted dates.</summary>
    public static readonly DateTimeOffset Latest = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool InRange(DateTimeOffset value) => value >= Earliest && value < Latest;

    public static bool InRange(DateOnly value) => InRange(new DateTimeOffset(value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    public static string OutOfRange(string name) => string.Create(CultureInfo.InvariantCulture,
        $"{name} must be from {Earliest:yyyy-MM-dd} up to {Latest.AddDays(-1):yyyy-MM-dd}.");
}
