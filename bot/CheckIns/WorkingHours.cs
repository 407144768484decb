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
    public DateTimeOffset NextOpening(DateTimeOffset at, TimeZoneInfo zone) => throw new NotImplementedException();

    /// <summary>Whether <paramref name="at"/> is inside working hours in <paramref name="zone"/>.</summary>
    public bool IsOpen(DateTimeOffset at, TimeZoneInfo zone) => throw new NotImplementedException();
}
