using ProcurementBot.QuestionSets;

namespace ProcurementBot.CheckIns;

/// <summary>The timing one check-in follows: its question set's <see cref="CheckInTiming"/> over the global settings.</summary>
public sealed record CheckInPolicy(WorkingHours WorkingHours, TimeSpan ReminderAfter, int MaxReminders, TimeSpan ExpireAfter)
{
    public static CheckInPolicy For(QuestionSet set, CheckInOptions options)
    {
        var timing = set.Timing;
        var global = options.WorkingHours.ToWorkingHours();
        var hours = timing?.WorkingHours;
        return new CheckInPolicy(
            hours is null
                ? global
                : global with { Start = hours.Start, End = hours.End, Days = hours.Days is { Count: > 0 } days ? [.. days.Distinct()] : global.Days },
            timing?.ReminderAfterHours is { } reminder ? TimeSpan.FromHours(reminder) : options.ReminderAfter,
            timing?.MaxReminders ?? options.MaxReminders,
            timing?.ExpireAfterHours is { } expire ? TimeSpan.FromHours(expire) : options.ExpireAfter);
    }
}
