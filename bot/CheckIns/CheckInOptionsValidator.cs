using Microsoft.Extensions.Options;

namespace ProcurementBot.CheckIns;

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
