namespace ProcurementBot.CheckIns;

public sealed class WorkingHoursOptions
{
    public TimeOnly Start { get; set; } = new(9, 0);
    public TimeOnly End { get; set; } = new(17, 0);

    /// <summary>
    /// Empty means Monday to Friday. Not pre-filled: configuration binding adds to a list it finds, so
    /// <c>["Saturday"]</c> would become Monday to Saturday.
    /// </summary>
    public List<DayOfWeek> Days { get; set; } = [];

    public WorkingHours ToWorkingHours() =>
        new() { Start = Start, End = End, Days = Days.Count == 0 ? WorkingHours.Default.Days : [.. Days.Distinct()] };
}
