using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>The OpenID metadata and signing keys (JWKS) of the channel service and of the Emulator's issuer, cached and refreshed.</summary>
internal sealed class SigningKeyMetadata
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _channel;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _emulator;

    public SigningKeyMetadata(IOptions<BotIdentityOptions> options, IHttpClientFactory httpClients)
    {
        _channel = Create(options.Value.OpenIdMetadataUrl, httpClients);
        _emulator = Create(options.Value.EmulatorOpenIdMetadataUrl, httpClients);
    }

    public ConfigurationManager<OpenIdConnectConfiguration> For(TokenSource source) => source == TokenSource.Channel ? _channel : _emulator;

    private static ConfigurationManager<OpenIdConnectConfiguration> Create(string metadataUrl, IHttpClientFactory httpClients) =>
        new(metadataUrl, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(httpClients.CreateClient(BotAuthenticationExtensions.HttpClientName)) { RequireHttps = true })
        {
            // The Bot Framework asks bots to refresh their keys at least daily.
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
        };
}
