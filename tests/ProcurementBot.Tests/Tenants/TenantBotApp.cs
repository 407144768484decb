using System.Net.Http.Headers;

namespace ProcurementBot.Tests.Tenants;

/// <summary>
/// The escalation bot with Bot Framework authentication on (real tokens, checked against the loopback identity
/// stand-in), serving one Entra tenant, <see cref="TeamsUser.TenantId"/>, listed in <c>BotFramework:AllowedTenants</c>.
/// Every request the helpers send carries a valid channel token: what decides is the tenant, never the token.
/// </summary>
public sealed class TenantBotApp : EscalationBotApp
{
    /// <summary>Another organisation's Entra tenant: it installed the same (multi-tenant) app.</summary>
    public const string ForeignTenantId = "c2a4f0de-7b1e-4e0f-9d43-8f6a51b3e2c7";

    public LocalBotFrameworkIdentity Identity { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings, .. Identity.BotConfiguration(), new("BotFramework:AllowedTenants:0", TeamsUser.TenantId)];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Identity = await LocalBotFrameworkIdentity.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(Identity.TrustFrom);
    }

    // A fresh channel token per client, issued on the bot's clock, so tests that move the clock stay signed.
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", Identity.CreateChannelToken(Connector.ServiceUrl, issuedAt: Clock.GetUtcNow()));
    }

    /// <summary>A user of <see cref="ForeignTenantId"/> whose member lookup (in their own tenant) answers with <paramref name="email"/>.</summary>
    public TeamsUser ForeignUser(string name, string email)
    {
        var user = new TeamsUser(name, email);
        Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, ForeignTenantId);
        return user;
    }

    /// <summary>The activity as Teams sends it from <paramref name="tenantId"/>: both places Teams names the tenant.</summary>
    public static JsonObject InTenant(JsonObject activity, string tenantId)
    {
        activity["conversation"]!["tenantId"] = tenantId;
        activity["channelData"]!["tenant"]!["id"] = tenantId;
        return activity;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
