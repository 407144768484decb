using ProcurementBot.Surveys;

namespace ProcurementBot.CheckIns;

/// <summary>The timing one check-in follows: its question set's <see cref="CheckInTiming"/> over the global settings.</summary>
public sealed record CheckInPolicy(WorkingHours WorkingHours, TimeSpan ReminderAfter, int MaxReminders, TimeSpan ExpireAfter)
{
    public static CheckInPolicy For(QuestionSet set, CheckInOptions options)
    {
        var timing = set.Timing;
        var global = options.WorkingHours.ToWorkingHours();
        return new CheckInPolicy(
            new WorkingHours
            {
                Start = timing?.WorkingHoursStart ?? global.Start,
                End = timing?.WorkingHoursEnd ?? global.End,
                Days = timing?.WorkingDays is { Count: > 0 } days ? [.. days.Distinct()] : global.Days,
            },
            timing?.ReminderAfterHours is { } reminder ? TimeSpan.FromHours(reminder) : options.ReminderAfter,
            timing?.MaxReminders ?? options.MaxReminders,
            timing?.ExpireAfterHours is { } expire ? TimeSpan.FromHours(expire) : options.ExpireAfter);
    }
}
