using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using ProcurementBot.BotFramework.Authentication;

namespace ProcurementBot.Tests.Authentication;

/// <summary>Inbound tokens against a loopback stand-in for the Bot Framework's metadata and keys.</summary>
public sealed class BotRequestAuthenticatorTests : IAsyncLifetime
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/amer/";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LocalBotFrameworkIdentity _identity = null!;

    public async Task InitializeAsync() => _identity = await LocalBotFrameworkIdentity.StartAsync();

    public async Task DisposeAsync() => await _identity.DisposeAsync();

    [Fact]
    public async Task A_valid_channel_token_is_accepted_with_its_claims()
    {
        var result = await AuthenticateAsync(_identity.CreateChannelToken(ServiceUrl));

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal(ServiceUrl, result.Identity!.FindFirst("serviceurl")?.Value);
        Assert.Equal(LocalBotFrameworkIdentity.AppId, result.Identity.FindFirst("aud")?.Value);
    }

    public static TheoryData<string, string> RefusedChannelTokens => new()
    {
        // what is wrong → the reason given
        { "issuer", "issuer is not trusted" },
        { "audience", "not meant for this bot" },
        { "other key, known kid", "signature is not valid" },
        { "unknown kid", "unknown key" },
        { "alg none", "not signed" },
        { "serviceUrl mismatch", "serviceurl does not match" },
        { "no serviceurl claim", "no serviceurl claim" },
        { "key not endorsed for msteams", "not endorsed for this channel" },
        { "key without endorsements", "carries no endorsements" },
    };

    [Theory]
    [MemberData(nameof(RefusedChannelTokens))]
    public async Task A_channel_token_is_refused_when(string wrong, string reason)
    {
        var token = wrong switch
        {
            "issuer" => _identity.CreateChannelToken(ServiceUrl, issuer: "https://api.botframework.evil.example"),
            "audience" => _identity.CreateChannelToken(ServiceUrl, audience: Guid.NewGuid().ToString()),
            "other key, known kid" => _identity.CreateChannelToken(ServiceUrl, key: _identity.ChannelKey with { Rsa = RSA.Create(2048) }),
            "unknown kid" => _identity.CreateChannelToken(ServiceUrl, key: LocalBotFrameworkIdentity.UnpublishedKey()),
            "alg none" => LocalBotFrameworkIdentity.CreateUnsignedChannelToken(ServiceUrl),
            "serviceUrl mismatch" => _identity.CreateChannelToken("https://attacker.example/"),
            "no serviceurl claim" => _identity.CreateChannelToken(ServiceUrl, withServiceUrl: false),
            "key not endorsed for msteams" => _identity.CreateChannelToken(ServiceUrl, key: _identity.PublishChannelKey("webchat")),
            "key without endorsements" => _identity.CreateChannelToken(ServiceUrl, key: _identity.PublishChannelKey()),
            _ => throw new ArgumentOutOfRangeException(nameof(wrong)),
        };

        var result = await AuthenticateAsync(token);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Failure, StringComparison.OrdinalIgnoreCase);
        Assert.Null(result.Identity);
    }

    [Theory]
    [InlineData(null, "no Authorization header")]
    [InlineData("", "no Authorization header")]
    [InlineData("Basic dXNlcjpwYXNz", "'Bearer <token>'")]
    [InlineData("Bearer", "'Bearer <token>'")]
    [InlineData("Bearer a b", "'Bearer <token>'")]
    [InlineData("Bearer not-a-jwt", "not a well-formed JWT")]
    public async Task A_request_without_a_bearer_token_is_refused(string? header, string reason)
    {
        var result = await AuthenticateAsync(header, bearer: false);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(66, false)]
    public async Task Lifetime_allows_five_minutes_of_clock_skew(int minutesLater, bool accepted)
    {
        var token = _identity.CreateChannelToken(ServiceUrl, issuedAt: _clock.GetUtcNow(), lifetime: TimeSpan.FromHours(1));
        _clock.Advance(TimeSpan.FromMinutes(minutesLater));

        var result = await AuthenticateAsync(token);

        Assert.Equal(accepted, result.Succeeded);
        Assert.Equal(accepted ? null : "The token has expired.", result.Failure);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(6, false)]
    public async Task A_token_from_the_near_future_is_accepted_only_within_the_skew(int minutesAhead, bool accepted)
    {
        var token = _identity.CreateChannelToken(ServiceUrl, issuedAt: _clock.GetUtcNow().AddMinutes(minutesAhead));

        var result = await AuthenticateAsync(token);

        Assert.Equal(accepted, result.Succeeded);
    }

    [Fact]
    public async Task The_channel_id_must_be_endorsed_by_the_signing_key()
    {
        var token = _identity.CreateChannelToken(ServiceUrl);

        Assert.True((await AuthenticateAsync(token, channelId: "webchat")).Succeeded);
        Assert.False((await AuthenticateAsync(token, channelId: "slack")).Succeeded);
        Assert.False((await AuthenticateAsync(token, channelId: "MSTEAMS")).Succeeded);
    }

    [Fact]
    public async Task A_token_seen_before_is_still_checked_for_lifetime_and_against_each_activity()
    {
        using var services = _identity.CreateServices(_identity.BotConfiguration(), _clock);
        var authenticator = services.GetRequiredService<IBotRequestAuthenticator>();
        var token = Bearer(_identity.CreateChannelToken(ServiceUrl, issuedAt: _clock.GetUtcNow(), lifetime: TimeSpan.FromHours(1)));
        Assert.True((await authenticator.AuthenticateAsync(token, "msteams", ServiceUrl, default)).Succeeded);

        // The same token, presented with another activity: the per-activity rules apply again.
        var elsewhere = await authenticator.AuthenticateAsync(token, "msteams", "https://attacker.example/", default);
        Assert.False(elsewhere.Succeeded);
        Assert.Contains("serviceurl does not match", elsewhere.Failure, StringComparison.OrdinalIgnoreCase);
        Assert.False((await authenticator.AuthenticateAsync(token, "slack", ServiceUrl, default)).Succeeded);
        Assert.True((await authenticator.AuthenticateAsync(token, "msteams", ServiceUrl, default)).Succeeded);

        // And once it has expired (beyond the skew), it is refused.
        _clock.Advance(TimeSpan.FromMinutes(66));
        var expired = await authenticator.AuthenticateAsync(token, "msteams", ServiceUrl, default);
        Assert.False(expired.Succeeded);
    }

    [Fact]
    public async Task A_rotated_key_is_picked_up_by_refreshing_the_metadata()
    {
        using var services = _identity.CreateServices(_identity.BotConfiguration(), _clock);
        var authenticator = services.GetRequiredService<IBotRequestAuthenticator>();
        Assert.True((await authenticator.AuthenticateAsync(Bearer(_identity.CreateChannelToken(ServiceUrl)), "msteams", ServiceUrl, default)).Succeeded);
        var fetchesBefore = _identity.MetadataRequests;

        var rotated = _identity.PublishChannelKey("msteams");
        var result = await authenticator.AuthenticateAsync(Bearer(_identity.CreateChannelToken(ServiceUrl, key: rotated)), "msteams", ServiceUrl, default);

        Assert.True(result.Succeeded, result.Failure);
        Assert.True(_identity.MetadataRequests > fetchesBefore);
    }

    [Fact]
    public async Task Metadata_endpoint_down_refuses_with_a_reason_instead_of_throwing()
    {
        _identity.MetadataAvailable = false;

        var result = await AuthenticateAsync(_identity.CreateChannelToken(ServiceUrl));

        Assert.False(result.Succeeded);
        Assert.Contains("could not fetch the Bot Framework signing keys", result.Failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("2.0")]
    public async Task An_Emulator_token_is_accepted_when_allowed(string version)
    {
        var result = await AuthenticateAsync(_identity.CreateEmulatorToken(version), channelId: "emulator", settings: _identity.BotConfiguration(allowEmulatorTokens: true));

        Assert.True(result.Succeeded, result.Failure);
    }

    [Fact]
    public async Task An_Emulator_token_is_refused_when_not_allowed()
    {
        var result = await AuthenticateAsync(_identity.CreateEmulatorToken(), channelId: "emulator", settings: _identity.BotConfiguration(allowEmulatorTokens: false));

        Assert.False(result.Succeeded);
        Assert.Contains("Emulator tokens are not accepted", result.Failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    public async Task Emulator_tokens_are_allowed_by_default_only_in_Development(string environment, bool accepted)
    {
        using var services = _identity.CreateServices(_identity.BotConfiguration(allowEmulatorTokens: null), _clock, environment);

        var result = await services.GetRequiredService<IBotRequestAuthenticator>()
            .AuthenticateAsync(Bearer(_identity.CreateEmulatorToken()), "emulator", ServiceUrl, default);

        Assert.Equal(accepted, result.Succeeded);
    }

    [Theory]
    [InlineData("1.0", "'appid' claim is not this bot's app id")]
    [InlineData("2.0", "'azp' claim is not this bot's app id")]
    public async Task An_Emulator_token_for_another_app_is_refused(string version, string reason)
    {
        var token = _identity.CreateEmulatorToken(version, appId: Guid.NewGuid().ToString());

        var result = await AuthenticateAsync(token, channelId: "emulator", settings: _identity.BotConfiguration(allowEmulatorTokens: true));

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_tenant_bot_accepts_channel_tokens_and_Emulator_tokens_from_its_own_tenant_only()
    {
        var settings = _identity.BotConfiguration(tenantId: LocalBotFrameworkIdentity.AppTenantId, allowEmulatorTokens: true);

        Assert.True((await AuthenticateAsync(_identity.CreateChannelToken(ServiceUrl), settings: settings)).Succeeded);
        Assert.True((await AuthenticateAsync(_identity.CreateEmulatorToken("2.0", LocalBotFrameworkIdentity.AppTenantId), "emulator", settings: settings)).Succeeded);
        var foreign = await AuthenticateAsync(_identity.CreateEmulatorToken("2.0", Guid.NewGuid().ToString()), "emulator", settings: settings);
        Assert.False(foreign.Succeeded);
        Assert.Contains("issuer is not trusted", foreign.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_mode_accepts_every_request_anonymously_and_fetches_nothing()
    {
        using var services = _identity.CreateServices([], _clock, "Development");
        var authenticator = services.GetRequiredService<IBotRequestAuthenticator>();

        Assert.False(authenticator.IsEnabled);
        foreach (var header in new[] { null, "", "Bearer forged", Bearer(LocalBotFrameworkIdentity.CreateUnsignedChannelToken(ServiceUrl)) })
        {
            Assert.Same(BotAuthResult.Anonymous, await authenticator.AuthenticateAsync(header, "emulator", "http://localhost:50000", default));
        }

        Assert.Equal(0, _identity.MetadataRequests);
    }

    private async Task<BotAuthResult> AuthenticateAsync(
        string? token, string channelId = "msteams", IEnumerable<KeyValuePair<string, string?>>? settings = null, bool bearer = true)
    {
        using var services = _identity.CreateServices(settings ?? _identity.BotConfiguration(), _clock);
        var authenticator = services.GetRequiredService<IBotRequestAuthenticator>();
        Assert.True(authenticator.IsEnabled);
        return await authenticator.AuthenticateAsync(bearer && token is not null ? Bearer(token) : token, channelId, ServiceUrl, default);
    }

    private static string Bearer(string token) => $"Bearer {token}";
}
