using ProcurementBot.Tenants;

namespace ProcurementBot.BotFramework;

/// <summary>
/// The tenant gate of <c>/api/messages</c>: after the token is checked and before anything is stored or trusted, an
/// activity from an Entra tenant the bot does not serve is refused. A Teams activity must name its tenant, and the
/// two places Teams puts it (<c>conversation.tenantId</c>, <c>channelData.tenant.id</c>) must both be served.
/// </summary>
internal sealed class ActivityTenantFilter(TenantPolicy tenants, ILogger<ActivityTenantFilter> logger)
{
    /// <summary>Null to go on; otherwise the response for a refused activity.</summary>
    public IResult? Refusal(Activity activity)
    {
        if (!tenants.ChecksTeamsTenants)
        {
            return null;
        }

        var named = new[] { activity.Conversation?.TenantId, activity.ChannelDataString("tenant", "id") }
            .Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!).ToArray();

        // Web Chat and Direct Line (through the Azure Bot resource) carry no tenant; Teams always does.
        if (named.Length == 0 && activity.ChannelId != TenantPolicy.TeamsChannel)
        {
            return null;
        }

        if (named.Length > 0 && named.All(tenants.AllowsTeamsTenant))
        {
            return null;
        }

        var tenant = named.FirstOrDefault(t => !tenants.AllowsTeamsTenant(t));
        logger.LogWarning(
            "Refused {ActivityType} activity {ActivityId} on {ChannelId} from tenant {TenantId}: not a tenant this bot serves (MicrosoftAppTenantId, BotFramework:AllowedTenants)",
            activity.Type, activity.Id, activity.ChannelId, tenant is null ? "(none)" : tenant[..Math.Min(tenant.Length, 64)]);

        // An invoke is answered with an invoke response Teams shows the clicker; any other activity with a plain 403,
        // which the channel does not retry.
        const string detail = "This bot does not serve your organization (tenant). Ask your IT admin.";
        return activity.Type == ActivityTypes.Invoke && activity.Name == "adaptiveCard/action"
            ? Results.Json(AdaptiveCardInvokeResponse.Error(403, "TenantNotAllowed", detail).Body, ProtocolJson.Options)
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Tenant not allowed", detail: detail);
    }
}
