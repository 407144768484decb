using Microsoft.Extensions.Options;

namespace ProcurementBot.Slack;

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
