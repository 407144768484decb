namespace ProcurementBot.Tests.Support;

/// <summary>
/// <see cref="EscalationBotApp"/> with Bot Framework authentication on against the loopback identity stand-in: a
/// multi-tenant app serving <see cref="TeamsUser.TenantId"/> only. Every activity carries a valid channel token, so
/// what a test shows is the tenant policy, not token validation.
/// </summary>
public sealed class AuthenticatedEscalationBotApp : EscalationBotApp
{
    /// <summary>An Entra tenant the bot does not serve.</summary>
    public const string OtherTenantId = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

    private string? _token;

    public LocalBotFrameworkIdentity Identity { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, .. Identity.BotConfiguration()];

    protected override string? DefaultBearer => _token ??= Identity.CreateChannelToken(Connector.ServiceUrl);

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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
