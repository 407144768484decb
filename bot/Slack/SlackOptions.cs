namespace ProcurementBot.Slack;

/// <summary>The Slack app: <c>Slack:SigningSecret</c>, <c>Slack:BotToken</c>, <c>Slack:ApiBaseUrl</c>. Slack is on when both secrets are set.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>From the app's Basic Information page; verifies every request Slack sends.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>The bot user OAuth token (<c>xoxb-…</c>); never logged.</summary>
    public string BotToken { get; set; } = "";

    /// <summary>The Web API's base URL; tests point it at a local stand-in.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>
    /// The Slack team ids (<c>T…</c>) of the workspaces the app is installed in. Events and clicks from any other team
    /// (another workspace, a Slack Connect guest's organisation) are acknowledged and ignored. Required when Slack is on.
    /// </summary>
    public string[] AllowedTeams { get; set; } = [];

    public bool Enabled => SigningSecret.Length > 0 && BotToken.Length > 0;
}
