using Microsoft.Extensions.Options;

namespace ProcurementBot.Slack;

public static class SlackExtensions
{
    /// <summary>Slack as a channel: request verification, the Web API client, people, check-ins and escalations in Slack.</summary>
    public static IServiceCollection AddSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddSingleton<SlackPacer>();
        services.AddSingleton<SlackApiClient>();
        services.AddHttpClient(SlackApiClient.HttpClientName).RemoveAllLoggers();

        // Events and clicks are stored, acknowledged, and worked from the store in the background, each once.
        services.AddOptions<SlackInboxOptions>().BindConfiguration(SlackInboxOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackInboxOptions>, SlackInboxOptionsValidator>();
        services.AddSingleton<SlackRouter>();
        services.AddSingleton<SlackInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackInbox>());
        services.AddSlackCheckIns();
        services.AddSlackEscalations();
        return services;
    }
}

/// <summary>Half a Slack configuration fails at start, with the key to fix, rather than on the first Slack request.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var errors = new List<string>();
        if ((options.SigningSecret.Length > 0) != (options.BotToken.Length > 0))
        {
            errors.Add(options.SigningSecret.Length == 0
                ? "Slack:BotToken is set but Slack:SigningSecret is not: set both (the app's Basic Information page) or neither."
                : "Slack:SigningSecret is set but Slack:BotToken is not: set both (the xoxb- token from OAuth & Permissions) or neither.");
        }

        if (options.BotToken.Length > 0 && !options.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            errors.Add("Slack:BotToken must be the bot user OAuth token, starting with xoxb-.");
        }

        if (options.Enabled && !options.AllowedTeams.Any(t => !string.IsNullOrWhiteSpace(t)))
        {
            errors.Add("Slack:AllowedTeams is empty: list the team id (T…) of the workspace the app is installed in "
                + "(auth.test or the workspace's About page shows it); requests from other teams are ignored.");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri || options.ApiBaseUrl.Scheme is not ("https" or "http"))
        {
            errors.Add("Slack:ApiBaseUrl must be an absolute http(s) URL, by default https://slack.com/api/.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

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
