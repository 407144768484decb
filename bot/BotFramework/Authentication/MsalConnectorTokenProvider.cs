using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>
/// App tokens for the Bot Connector from Entra ID (client credentials, or the user-assigned managed identity).
/// The MSAL application is built once, so its in-memory token cache serves every call until the token nears expiry.
/// </summary>
internal sealed class MsalConnectorTokenProvider(IOptions<BotIdentityOptions> options, IHttpClientFactory httpClients) : IConnectorTokenProvider
{
    // MSAL's own cache lookup costs more than the connector call it authorises on a busy bot, so the
    // current token is kept here too, and MSAL is asked again once it is within this margin of expiry.
    private static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(5);

    private readonly Lazy<Func<CancellationToken, Task<AuthenticationResult>>> _acquire =
        new(() => Build(options.Value, new MsalHttpClientFactory(httpClients)));

    private volatile AuthenticationResult? _current;

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled)
        {
            return null;
        }

        if (_current is { } current && current.ExpiresOn - DateTimeOffset.UtcNow > RenewalMargin)
        {
            return current.AccessToken;
        }

        var result = await _acquire.Value(cancellationToken);
        _current = result;
        return result.AccessToken;
    }

    private static Func<CancellationToken, Task<AuthenticationResult>> Build(BotIdentityOptions identity, IMsalHttpClientFactory http)
    {
        if (identity.AppType == BotAppType.UserAssignedMsi)
        {
            var managed = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.WithUserAssignedClientId(identity.MicrosoftAppId))
                .WithHttpClientFactory(http)
                .Build();
            // Managed identity takes a resource, not a scope.
            var resource = identity.ConnectorScope.EndsWith("/.default", StringComparison.Ordinal)
                ? identity.ConnectorScope[..^"/.default".Length]
                : identity.ConnectorScope;
            return cancellationToken => managed.AcquireTokenForManagedIdentity(resource).ExecuteAsync(cancellationToken);
        }

        var authority = $"{identity.LoginAuthority.TrimEnd('/')}/{identity.TokenTenant}";
        var app = ConfidentialClientApplicationBuilder.Create(identity.MicrosoftAppId)
            .WithClientSecret(identity.MicrosoftAppPassword)
            // The authority is configured explicitly: no discovery round trip, and a stand-in authority works in tests.
            .WithAuthority(authority, validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(http)
            .Build();
        string[] scopes = [identity.ConnectorScope];
        return cancellationToken => app.AcquireTokenForClient(scopes).ExecuteAsync(cancellationToken);
    }
}
