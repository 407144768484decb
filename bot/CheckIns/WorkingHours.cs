namespace ProcurementBot.CheckIns;

/// <summary>
/// When people may be asked: from <see cref="Start"/> to <see cref="End"/> local time on <see cref="Days"/>,
/// in the person's own time zone. Check-ins due outside these hours wait for the next opening.
/// </summary>
public sealed record WorkingHours
{
    public static readonly WorkingHours Default = new();

    public TimeOnly Start { get; init; } = new(9, 0);

    /// <summary>Exclusive: at 17:00 the day is over. Must be after <see cref="Start"/>; windows across midnight are not supported.</summary>
    public TimeOnly End { get; init; } = new(17, 0);

    public IReadOnlyList<DayOfWeek> Days { get; init; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>
    /// <paramref name="at"/> itself when it falls inside working hours in <paramref name="zone"/>, else the
    /// start of the next working period. Never earlier than <paramref name="at"/>.
    /// </summary>
    public DateTimeOffset NextOpening(DateTimeOffset at, TimeZoneInfo zone)
    {
        if (End <= Start || Days.Count == 0)
        {
            throw new InvalidOperationException($"Working hours {Start:HH\\:mm}-{End:HH\\:mm} on {Days.Count} days never open; End must be after Start and Days non-empty.");
        }

        if (IsOpen(at, zone))
        {
            return at;
        }

        // Two weeks always hold a working day whose hours exist, even if DST swallows one day's hours whole.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        for (var day = today; day <= today.AddDays(14); day = day.AddDays(1))
        {
            if (Days.Contains(day.DayOfWeek)
                && Openings(day, zone).Where(o => o >= at && IsOpen(o, zone)).Select(o => (DateTimeOffset?)o).Min() is { } opening)
            {
                return TimeZoneInfo.ConvertTime(opening, zone);
            }
        }

        throw new InvalidOperationException($"No working hours in the two weeks after {at:O} in {zone.Id}.");
    }

    /// <summary>Whether <paramref name="at"/> is inside working hours in <paramref name="zone"/>.</summary>
    public bool IsOpen(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
    }

    /// <summary>
    /// The zone for an id a client or an admin gave: IANA (<c>Europe/Berlin</c>) or Windows
    /// (<c>W. Europe Standard Time</c>); an unknown id gives <paramref name="fallbackId"/>'s zone, and an unknown
    /// fallback UTC, so a bad id can delay a check-in but never stop it.
    /// </summary>
    public static TimeZoneInfo ZoneOf(string? ianaId, string fallbackId) =>
        TryFindZone(ianaId, out var zone) || TryFindZone(fallbackId, out zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Finds a zone by IANA or Windows id (with ICU, .NET converts between them on any OS).</summary>
    internal static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        return !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone!);
    }

    /// <summary>
    /// The instants on <paramref name="day"/> when the wall clock may enter the window: when it passes
    /// <see cref="Start"/> (twice when clocks fall back over it, never when they spring past it), and when clocks
    /// change, which can jump the wall clock into the window (a 02:30 start on a day that skips 02:00-03:00 opens at 03:00).
    /// </summary>
    private IEnumerable<DateTimeOffset> Openings(DateOnly day, TimeZoneInfo zone)
    {
        var start = day.ToDateTime(Start);
        if (zone.IsAmbiguousTime(start))
        {
            foreach (var offset in zone.GetAmbiguousTimeOffsets(start))
            {
                yield return new DateTimeOffset(start, offset);
            }
        }
        else if (!zone.IsInvalidTime(start))
        {
            yield return new DateTimeOffset(start, zone.GetUtcOffset(start));
        }

        if (ClockChange(day, zone) is { } change)
        {
            yield return change;
        }
    }

    /// <summary>The instant the zone's offset changes during <paramref name="day"/>, if it does (found by bisection).</summary>
    private static DateTimeOffset? ClockChange(DateOnly day, TimeZoneInfo zone)
    {
        var low = Approximately(day, zone);
        var high = Approximately(day.AddDays(1), zone);
        var after = zone.GetUtcOffset(high);
        if (zone.GetUtcOffset(low) == after)
        {
            return null;
        }

        // Invariant: the offset at low is the old one, at high the new one.
        while (high.Ticks - low.Ticks > 1)
        {
            var middle = low.AddTicks((high.Ticks - low.Ticks) / 2);
            if (zone.GetUtcOffset(middle) == after)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    /// <summary>Local midnight as an instant; when midnight itself falls in a gap, the zone's standard offset is close enough.</summary>
    private static DateTimeOffset Approximately(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, zone.IsInvalidTime(midnight) ? zone.BaseUtcOffset : zone.GetUtcOffset(midnight));
    }
}
