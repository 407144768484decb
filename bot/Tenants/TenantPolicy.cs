using Microsoft.Extensions.Options;
using ProcurementBot.BotFramework.Authentication;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Slack;

namespace ProcurementBot.Tenants;

/// <summary>
/// Which organisations the bot serves: Entra tenants for Teams (<c>MicrosoftAppTenantId</c>, <c>BotFramework:AllowedTenants</c>)
/// and Slack teams (<c>Slack:AllowedTeams</c>). The one place that answers "does this tenant belong here?" for activities,
/// people and admins. In local mode (no <c>MicrosoftAppId</c>) no token proves where a Teams activity came from, so Teams
/// tenants are not checked there; Slack requests are signed in every mode, so Slack teams always are.
/// </summary>
public sealed class TenantPolicy(IOptions<BotIdentityOptions> identity, IOptions<SlackOptions> slack)
{
    public const string TeamsChannel = "msteams";
    public const string SlackChannel = "slack";

    private readonly IReadOnlySet<string> _tenants = identity.Value.ServedTenants;
    private readonly HashSet<string> _teams = new(
        slack.Value.AllowedTeams.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()), StringComparer.Ordinal);

    /// <summary>Whether Teams tenants are checked: only when tokens are (authentication on).</summary>
    public bool ChecksTeamsTenants { get; } = identity.Value.IsEnabled;

    public bool AllowsTeamsTenant(string? tenantId) =>
        !ChecksTeamsTenants || (!string.IsNullOrWhiteSpace(tenantId) && _tenants.Contains(tenantId.Trim()));

    public bool AllowsSlackTeam(string? teamId) => !string.IsNullOrWhiteSpace(teamId) && _teams.Contains(teamId.Trim());

    /// <summary>Whether a stored person may receive a purchase's check-in or be told as an admin or buyer.</summary>
    public bool AllowsPerson(Person person) => person.Channel switch
    {
        TeamsChannel => AllowsTeamsTenant(person.TenantId),
        SlackChannel => AllowsSlackTeam(person.TenantId),
        // Emulator and Web Chat people carry no tenant; they have an address only in local mode.
        _ => true,
    };

    /// <summary>
    /// Whether an actor's identity can be matched against <c>Admin:Users</c> at all. Outside local mode only Teams
    /// (tenant in a token-checked activity) and Slack (team in a signed request) say who someone is; a Web Chat user
    /// names their own id and AAD object id.
    /// </summary>
    public bool AllowsAdminActor(Actor actor)
    {
        var channel = actor.PersonId[..Math.Max(0, actor.PersonId.IndexOf(':', StringComparison.Ordinal))];
        return channel switch
        {
            TeamsChannel => AllowsTeamsTenant(actor.TenantId),
            SlackChannel => AllowsSlackTeam(actor.TenantId),
            _ => !ChecksTeamsTenants,
        };
    }
}
