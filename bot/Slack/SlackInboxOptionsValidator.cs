using Microsoft.Extensions.Options;

namespace ProcurementBot.Slack;

/// <summary>Slack:Inbox values that would stall or flood the inbox fail at start.</summary>
internal sealed class SlackInboxOptionsValidator : IValidateOptions<SlackInboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackInboxOptions options)
    {
        var errors = new List<string>();
        if (options.LeaseDuration < TimeSpan.FromSeconds(1) || options.LeaseDuration > TimeSpan.FromHours(1))
        {
            errors.Add("Slack:Inbox:LeaseDuration must be between 00:00:01 and 01:00:00 (default 00:02:00).");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add("Slack:Inbox:PollInterval must be between 00:00:00.1 and 00:10:00 (default 00:00:05).");
        }

        if (options.Concurrency is < 1 or > 256)
        {
            errors.Add("Slack:Inbox:Concurrency must be between 1 and 256 (default 16).");
        }

        if (options.Capacity is < 1 or > 1_000_000)
        {
            errors.Add("Slack:Inbox:Capacity must be between 1 and 1000000 (default 2048).");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add("Slack:Inbox:MaxAttempts must be between 1 and 100 (default 5).");
        }

        if (options.RetryFor < TimeSpan.FromMinutes(1) || options.RetryFor > TimeSpan.FromDays(7))
        {
            errors.Add("Slack:Inbox:RetryFor must be between 00:01:00 and 7.00:00:00 (default 1.00:00:00).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
