using System.ComponentModel.DataAnnotations;

namespace ProcurementBot.CheckIns;

public sealed class CheckInOptions
{
    public const string Section = "CheckIns";

    /// <summary>How often each instance looks for due check-ins.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claimed check-in is reserved for the instance sending it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How many claimed check-ins one instance sends at once. The platform's rate limits are kept by the
    /// connector's pacing, not by this; it only lets sends overlap their network round trips.
    /// </summary>
    [Range(1, 256)]
    public int SendConcurrency { get; set; } = 16;

    /// <summary>After this many failed sends a check-in is set aside as failed.</summary>
    [Range(1, 100)]
    public int MaxSendAttempts { get; set; } = 5;

    /// <summary>The IANA time zone of people whose client never said theirs (e.g. <c>Europe/Berlin</c>).</summary>
    [Required]
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>When people may be asked, in their own time zone; a question set may set its own.</summary>
    public WorkingHoursOptions WorkingHours { get; set; } = new();

    /// <summary>How long after sending (and after each reminder) an unanswered check-in is reminded.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan ReminderAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Reminders at most per check-in; 0 for none.</summary>
    [Range(0, 10)]
    public int MaxReminders { get; set; } = 1;

    /// <summary>How long after sending an unanswered check-in expires.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Check-ins sent to one person in any 7 days at most; more wait (explicit <c>checkInAt</c> times excepted).</summary>
    [Range(1, 100)]
    public int MaxPerPersonPerWeek { get; set; } = 3;

    /// <summary>Turns the background sender off (tests drive it by hand).</summary>
    public bool DispatcherEnabled { get; set; } = true;
}
