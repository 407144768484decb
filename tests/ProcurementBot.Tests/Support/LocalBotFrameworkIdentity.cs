using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ProcurementBot.BotFramework.Authentication;

namespace ProcurementBot.Tests.Support;

/// <summary>A key that signs tokens, and the channels it is endorsed for when published in the JWKS.</summary>
public sealed record TestSigningKey(string Kid, RSA Rsa, IReadOnlyList<string> Endorsements)
{
    public SigningCredentials Credentials => new(new RsaSecurityKey(Rsa) { KeyId = Kid }, SecurityAlgorithms.RsaSha256);
}

/// <summary>
/// The Bot Framework's identity services on loopback HTTPS (MSAL insists on https authorities): the channel
/// service's OpenID metadata and JWKS with endorsements, the Emulator issuer's metadata and keys, and an Entra ID
/// token endpoint for client credentials. It mints the tokens a channel or the Emulator would send.
/// </summary>
public sealed partial class LocalBotFrameworkIdentity : IAsyncDisposable
{
    public const string AppId = "0b5c7d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e";
    public const string AppPassword = "local-test-client-secret";
    public const string AppTenantId = "5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b";
    public const string BotFrameworkTenantId = "d6d49420-f39b-4df7-a1dc-d59a935871db";
    public const string ChannelIssuer = "https://api.botframework.com";

    private readonly ConcurrentQueue<TestSigningKey> _channelKeys = new();
    private readonly ConcurrentQueue<TokenRequest> _tokenRequests = new();
    private readonly X509Certificate2 _certificate;
    private WebApplication? _app;
    private int _metadataRequests;

    private LocalBotFrameworkIdentity(X509Certificate2 certificate)
    {
        _certificate = certificate;
        ChannelKey = PublishChannelKey("msteams", "webchat", "directline", "emulator");
    }

    /// <summary>The published channel key, endorsed for msteams, webchat, directline and emulator.</summary>
    public TestSigningKey ChannelKey { get; }

    /// <summary>The Emulator issuer's key (Entra ID keys carry no endorsements).</summary>
    public TestSigningKey EmulatorKey { get; } = NewKey([]);

    public string BaseUrl { get; private set; } = "";

    /// <summary>False: metadata and key endpoints answer 503, as during an outage.</summary>
    public bool MetadataAvailable { get; set; } = true;

    /// <summary>Requests for OpenID metadata or JWKS documents, both issuers together.</summary>
    public int MetadataRequests => _metadataRequests;

    /// <summary>Client-credentials requests received by the stand-in token endpoint.</summary>
    public IReadOnlyList<TokenRequest> TokenRequests => [.. _tokenRequests];

    public static async Task<LocalBotFrameworkIdentity> StartAsync()
    {
        var identity = new LocalBotFrameworkIdentity(SelfSignedCertificate());
        var builder = WebApplication.CreateSlimBuilder();
        // The bot's appsettings.json (copied next to the tests) names port 3978; take any free port.
        builder.Configuration["Urls"] = "https://127.0.0.1:0";
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = identity._certificate));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        identity.Map(app);
        await app.StartAsync();
        identity._app = app;
        identity.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return identity;
    }

    /// <summary>A key the channel service publishes from now on (its next metadata fetch shows it).</summary>
    public TestSigningKey PublishChannelKey(params string[] endorsements)
    {
        var key = NewKey(endorsements);
        _channelKeys.Enqueue(key);
        return key;
    }

    /// <summary>A key nobody published: what a forger would sign with.</summary>
    public static TestSigningKey UnpublishedKey() => NewKey(["msteams"]);

    /// <summary>
    /// Settings that point the bot at this stand-in. A tenant id makes it a single-tenant bot; a null
    /// <paramref name="allowEmulatorTokens"/> leaves the environment's default.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> BotConfiguration(
        string appId = AppId, string password = AppPassword, string? tenantId = null, bool? allowEmulatorTokens = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppType"] = tenantId is null ? "MultiTenant" : "SingleTenant",
            ["MicrosoftAppId"] = appId,
            ["MicrosoftAppPassword"] = password,
            ["MicrosoftAppTenantId"] = tenantId ?? "",
            ["BotFramework:OpenIdMetadataUrl"] = $"{BaseUrl}/v1/.well-known/openidconfiguration",
            ["BotFramework:EmulatorOpenIdMetadataUrl"] = $"{BaseUrl}/botframework.com/v2.0/.well-known/openid-configuration",
            ["BotFramework:LoginAuthority"] = $"{BaseUrl}/",
        };
        if (tenantId is null)
        {
            // A multi-tenant app names the tenants it serves: the one the Teams test users belong to.
            settings["BotFramework:AllowedTenants:0"] = "72f988bf-86f1-41af-91ab-2d7cd011db47"; // TeamsUser.TenantId
        }

        if (allowEmulatorTokens is { } allow)
        {
            settings["BotFramework:AllowEmulatorTokens"] = allow ? "true" : "false";
        }

        return settings;
    }

    /// <summary>Makes the bot's identity HttpClient trust this stand-in's self-signed certificate, and nothing else new.</summary>
    public void TrustFrom(IServiceCollection services) =>
        services.AddHttpClient(BotAuthenticationExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(TrustingHandler);

    /// <summary>An HTTP handler that trusts the usual certificates and this stand-in's self-signed one.</summary>
    public SocketsHttpHandler TrustingHandler()
    {
        var thumbprint = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == System.Net.Security.SslPolicyErrors.None
                    || (certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint),
            },
        };
    }

    /// <summary>
    /// The bot's authentication services alone, as Program registers them, configured with <paramref name="settings"/>
    /// (usually <see cref="BotConfiguration"/>) and trusting this stand-in.
    /// </summary>
    public ServiceProvider CreateServices(IEnumerable<KeyValuePair<string, string?>> settings, TimeProvider clock, string environment = "Production")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddBotFrameworkAuthentication(configuration, new HostingEnvironment { EnvironmentName = environment });
        TrustFrom(services);
        return services.BuildServiceProvider();
    }

    /// <summary>A token as a Bot Framework channel sends it; every knob defaults to what a valid one says.</summary>
    public string CreateChannelToken(
        string serviceUrl,
        string? audience = null,
        string issuer = ChannelIssuer,
        DateTimeOffset? issuedAt = null,
        TimeSpan? lifetime = null,
        TestSigningKey? key = null,
        bool withServiceUrl = true)
    {
        var claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl };
        if (!withServiceUrl)
        {
            claims.Clear();
        }

        return Create(issuer, audience ?? AppId, claims, issuedAt, lifetime, (key ?? ChannelKey).Credentials);
    }

    /// <summary>A channel-shaped token with <c>alg: none</c> and no signature.</summary>
    public static string CreateUnsignedChannelToken(string serviceUrl) =>
        Create(ChannelIssuer, AppId, new Dictionary<string, object> { ["serviceurl"] = serviceUrl }, null, null, null);

    /// <summary>A token the Emulator gets from Entra ID: v1.0 carries the app id in <c>appid</c>, v2.0 in <c>azp</c>.</summary>
    public string CreateEmulatorToken(string version = "1.0", string tenantId = BotFrameworkTenantId, string appId = AppId, string? audience = null)
    {
        var issuer = version == "2.0" ? $"https://login.microsoftonline.com/{tenantId}/v2.0" : $"https://sts.windows.net/{tenantId}/";
        var claims = new Dictionary<string, object> { ["ver"] = version, ["tid"] = tenantId, [version == "2.0" ? "azp" : "appid"] = appId };
        return Create(issuer, audience ?? AppId, claims, null, null, EmulatorKey.Credentials);
    }

    private static string Create(string issuer, string audience, Dictionary<string, object> claims, DateTimeOffset? issuedAt, TimeSpan? lifetime, SigningCredentials? signing)
    {
        var issued = (issuedAt ?? DateTimeOffset.UtcNow).UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = signing,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static TestSigningKey NewKey(IReadOnlyList<string> endorsements) =>
        new(Guid.NewGuid().ToString("N"), RSA.Create(2048), endorsements);

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel wants a certificate whose private key it can load: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _certificate.Dispose();
    }
}

/// <summary>One client-credentials request to the stand-in token endpoint.</summary>
public sealed record TokenRequest(string Tenant, string? ClientId, string? Scope, string? GrantType, bool SecretMatched, string IssuedToken);
