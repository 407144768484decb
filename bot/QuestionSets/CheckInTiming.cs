namespace ProcurementBot.QuestionSets;

/// <summary>
/// A question set's overrides of when its check-ins are asked, reminded and expired. Null fields use the
/// global <c>CheckIns</c> settings.
/// </summary>
public sealed record CheckInTiming
{
    /// <summary>Local working hours of the requester, e.g. <c>09:00</c>–<c>17:00</c> Monday to Friday.</summary>
    public QuestionSetWorkingHours? WorkingHours { get; init; }

    /// <summary>Hours after sending (and after each reminder) before an unanswered check-in is reminded.</summary>
    public double? ReminderAfterHours { get; init; }

    /// <summary>How many reminders at most; 0 for none.</summary>
    public int? MaxReminders { get; init; }

    /// <summary>Hours after sending when an unanswered check-in expires.</summary>
    public double? ExpireAfterHours { get; init; }
}
