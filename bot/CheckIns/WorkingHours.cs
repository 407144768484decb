namespace ProcurementBot.CheckIns;

/// <summary>
/// When people may be asked: from <see cref="Start"/> to <see cref="End"/> local time on <see cref="Days"/>,
/// in the person's own time zone. Check-ins due outside these hours wait for the next opening.
/// </summary>
public sealed record WorkingHours
{
    public static readonly WorkingHours Default = new();

    public TimeOnly Start { get; init; } = new(9, 0);
    public TimeOnly End { get; init; } = new(17, 0);
    public IReadOnlyList<DayOfWeek> Days { get; init; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>
    /// <paramref name="at"/> itself when it falls inside working hours in <paramref name="zone"/>, else the
    /// start of the next working period. Never earlier than <paramref name="at"/>.
    /// </summary>
    public DateTimeOffset NextOpening(DateTimeOffset at, TimeZoneInfo zone)
    {
        if (IsOpen(at, zone))
        {
            return at;
        }

        var local = TimeZoneInfo.ConvertTime(at, zone);
        for (var day = DateOnly.FromDateTime(local.DateTime); day <= DateOnly.FromDateTime(local.DateTime).AddDays(8); day = day.AddDays(1))
        {
            if (!Days.Contains(day.DayOfWeek))
            {
                continue;
            }

            var start = day.ToDateTime(Start);
            while (zone.IsInvalidTime(start))
            {
                start = start.AddMinutes(30);
            }

            var opening = new DateTimeOffset(start, zone.GetUtcOffset(start));
            if (opening > at)
            {
                return opening;
            }
        }

        return at;
    }

    /// <summary>Whether <paramref name="at"/> is inside working hours in <paramref name="zone"/>.</summary>
    public bool IsOpen(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
    }

    /// <summary>The time zone with this IANA (or Windows) id; else the fallback's; else UTC.</summary>
    public static TimeZoneInfo ZoneOf(string? id, string fallbackId) =>
        (id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) || TimeZoneInfo.TryFindSystemTimeZoneById(fallbackId, out zone)
            ? zone
            : TimeZoneInfo.Utc;
}
