using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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

/// <summary>What data annotations cannot say about <see cref="CheckInOptions"/>, checked on start so a bad setting stops the bot.</summary>
internal sealed class CheckInOptionsValidator(IConfiguration configuration) : IValidateOptions<CheckInOptions>
{
    public ValidateOptionsResult Validate(string? name, CheckInOptions options)
    {
        var errors = new List<string>();
        var hours = options.WorkingHours;
        if (hours.End <= hours.Start)
        {
            errors.Add($"CheckIns:WorkingHours:End ({hours.End:HH\\:mm}) must be after CheckIns:WorkingHours:Start ({hours.Start:HH\\:mm}); hours across midnight are not supported.");
        }

        // Read from the configuration itself: binding drops list items it cannot convert, so a misspelt day would
        // vanish (and a list of only misspelt days mean Monday to Friday), and it reads "Monday, Friday" as Wednesday.
        foreach (var day in configuration.GetSection($"{CheckInOptions.Section}:WorkingHours:Days").GetChildren())
        {
            if (!Enum.GetNames<DayOfWeek>().Contains(day.Value?.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{day.Path} is '{day.Value}', which is not a day; use Monday, Tuesday, ... Sunday.");
            }
        }

        if (!WorkingHours.TryFindZone(options.DefaultTimeZone, out _))
        {
            errors.Add($"CheckIns:DefaultTimeZone '{options.DefaultTimeZone}' is not a time zone this machine knows; use an IANA id such as Europe/Berlin.");
        }

        if (options.MaxReminders > 0 && options.ExpireAfter <= options.ReminderAfter * options.MaxReminders)
        {
            errors.Add($"CheckIns:ExpireAfter ({options.ExpireAfter}) must be longer than CheckIns:ReminderAfter ({options.ReminderAfter}) times CheckIns:MaxReminders ({options.MaxReminders}), or check-ins expire before their last reminder.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
