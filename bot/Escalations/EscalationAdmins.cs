using ProcurementBot.Tenants;

namespace ProcurementBot.Escalations;

/// <summary>
/// Chat admins from <c>Admin:Users</c>: Teams AAD object ids, emails, or Slack user ids. They register
/// escalation channels and may act on any escalation. Each entry counts only for someone inside a tenant or
/// Slack team the bot serves: object ids are unique, but anyone can give their own directory an admin's email.
/// </summary>
public sealed class EscalationAdmins(IConfiguration configuration, TenantPolicy tenants)
{
    private IReadOnlyList<string> Entries =>
        configuration.GetSection("Admin:Users").Get<string[]>()?.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()).ToArray() ?? [];

    public bool IsAdmin(Actor actor)
    {
        if (!tenants.AllowsAdminActor(actor))
        {
            return false;
        }

        var userId = actor.PersonId[(actor.PersonId.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return Entries.Any(entry =>
            string.Equals(entry, actor.AadObjectId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(entry, actor.Email, StringComparison.OrdinalIgnoreCase)
            || string.Equals(entry, userId, StringComparison.Ordinal));
    }

    /// <summary>The admins' email addresses, for telling them when escalations wait for a channel.</summary>
    public IReadOnlyList<string> Emails => [.. Entries.Where(e => e.Contains('@', StringComparison.Ordinal))];
}
