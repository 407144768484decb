namespace ProcurementBot.Escalations;

/// <summary>
/// Who acted, as the channel identified them; <paramref name="TenantId"/> is the Entra tenant (Teams) or Slack team
/// the activity came from, so that an admin is one only inside a tenant the bot serves.
/// </summary>
public sealed record Actor(string PersonId, string Name, string? AadObjectId = null, string? Email = null, string? TenantId = null);
