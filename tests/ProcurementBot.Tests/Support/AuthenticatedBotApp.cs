namespace ProcurementBot.Tests.Support;

/// <summary>The whole bot with Bot Framework authentication on, against the loopback identity stand-in.</summary>
public sealed class AuthenticatedBotApp : BotApp
{
    public LocalBotFrameworkIdentity Identity { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => Identity.BotConfiguration();

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

    /// <summary>A valid channel token for activities whose serviceUrl is the connector stand-in.</summary>
    public string ChannelToken() => Identity.CreateChannelToken(Connector.ServiceUrl);

    /// <summary>The Authorization headers the bot may legitimately send: the stand-in's issued tokens.</summary>
    public IReadOnlyList<string> IssuedBearers => [.. Identity.TokenRequests.Select(r => $"Bearer {r.IssuedToken}")];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
