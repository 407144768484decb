using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>
/// Checks the bearer token of a Bot Framework request the way the Bot Connector docs ask: signed (RS256) by a key
/// from the issuer's metadata, the right issuer and audience, in date, and for channel tokens a <c>serviceurl</c>
/// claim matching the activity and a signing key endorsed for its channel.
/// </summary>
internal sealed class BotRequestAuthenticator(
    IOptions<BotIdentityOptions> options,
    SigningKeyMetadata metadata,
    TimeProvider clock,
    ILogger<BotRequestAuthenticator> logger) : IBotRequestAuthenticator
{
    public const string ChannelIssuer = "https://api.botframework.com";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly BotIdentityOptions _options = options.Value;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly LifetimeValidator _lifetime = TokenLifetime.Validator(clock, ClockSkew);
    private readonly HashSet<string> _emulatorIssuers = EmulatorTokenRules.Issuers(options.Value.MicrosoftAppTenantId);

    // A channel sends the same token with every activity for about an hour. Its signature, issuer and
    // audience checks give the same answer each time against the same signing keys, so they are done once
    // per token and key set; lifetime and the per-activity rules (serviceurl, endorsement) run every time.
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<string, Verified> _verified = new(StringComparer.Ordinal);

    private sealed record Verified(TokenValidationResult Result, OpenIdConnectConfiguration Configuration, TokenSource Source, DateTime ValidTo);

    public bool IsEnabled => _options.IsEnabled;

    public async Task<BotAuthResult> AuthenticateAsync(string? authorizationHeader, string channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            return BotAuthResult.Anonymous;
        }

        var result = await CheckAsync(authorizationHeader, channelId, serviceUrl, cancellationToken);
        if (!result.Succeeded)
        {
            logger.LogWarning("Refused a Bot Framework request on channel {ChannelId} from {ServiceUrl}: {Reason}", channelId, serviceUrl, result.Failure);
        }

        return result;
    }

    private async Task<BotAuthResult> CheckAsync(string? header, string channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        var parts = (header ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return BotAuthResult.Fail("The request has no Authorization header.");
        }

        if (parts.Length != 2 || !parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return BotAuthResult.Fail("The Authorization header is not of the form 'Bearer <token>'.");
        }

        if (!_handler.CanReadToken(parts[1]))
        {
            return BotAuthResult.Fail("The bearer token is not a well-formed JWT.");
        }

        if (_verified.TryGetValue(parts[1], out var verified) && await StillVerifiedAsync(verified, cancellationToken))
        {
            return Finish(verified.Result, verified.Configuration, verified.Source, channelId, serviceUrl);
        }

        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(parts[1]);
        }
        catch (ArgumentException)
        {
            // CanReadToken only checks the token's outline; a part that is not base64url JSON (SecurityTokenMalformedException
            // is an ArgumentException) is found here.
            return BotAuthResult.Fail("The bearer token is not a well-formed JWT.");
        }

        if (unverified.Alg != SecurityAlgorithms.RsaSha256)
        {
            return BotAuthResult.Fail(unverified.Alg is null or "none" ? "The token is not signed." : "The token must be signed with RS256.");
        }

        var source = _emulatorIssuers.Contains(unverified.Issuer) ? TokenSource.Emulator : TokenSource.Channel;
        if (source == TokenSource.Emulator && !_options.AllowEmulatorTokens)
        {
            return BotAuthResult.Fail("Emulator tokens are not accepted here (BotFramework:AllowEmulatorTokens is off).");
        }

        var (validated, configuration, failure) = await ValidateAsync(parts[1], source, cancellationToken);
        if (failure is not null)
        {
            return BotAuthResult.Fail(failure);
        }

        if (_verified.Count >= MaxRemembered)
        {
            _verified.Clear();
        }

        _verified[parts[1]] = new Verified(validated!, configuration!, source, validated!.SecurityToken.ValidTo);
        return Finish(validated, configuration!, source, channelId, serviceUrl);
    }

    /// <summary>A remembered token still holds while it is in date and the signing keys are the ones it was checked against.</summary>
    private async Task<bool> StillVerifiedAsync(Verified verified, CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow().UtcDateTime > verified.ValidTo + ClockSkew)
        {
            return false;
        }

        try
        {
            return ReferenceEquals(await metadata.For(verified.Source).GetConfigurationAsync(cancellationToken), verified.Configuration);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private BotAuthResult Finish(TokenValidationResult validated, OpenIdConnectConfiguration configuration, TokenSource source, string channelId, string? serviceUrl)
    {
        var token = (JsonWebToken)validated.SecurityToken;
        var failure = source == TokenSource.Channel
            ? ChannelTokenRules.Check(token, configuration, channelId, serviceUrl)
            : EmulatorTokenRules.Check(token, _options.MicrosoftAppId);
        return failure is null ? new BotAuthResult(true, null, validated.ClaimsIdentity) : BotAuthResult.Fail(failure);
    }

    private async Task<(TokenValidationResult? Result, OpenIdConnectConfiguration? Configuration, string? Failure)> ValidateAsync(
        string token, TokenSource source, CancellationToken cancellationToken)
    {
        var keys = metadata.For(source);
        for (var attempt = 1; ; attempt++)
        {
            OpenIdConnectConfiguration configuration;
            try
            {
                configuration = await keys.GetConfigurationAsync(cancellationToken);
            }
            catch (InvalidOperationException ex)
            {
                logger.LogError(ex, "Could not fetch the {TokenSource} signing keys from {MetadataUrl}", source, keys.MetadataAddress);
                return (null, null, "The bot could not fetch the Bot Framework signing keys; try again later.");
            }

            var result = await _handler.ValidateTokenAsync(token, Parameters(source, configuration));
            if (result.IsValid)
            {
                return (result, configuration, null);
            }

            // Keys rotate: a key id we have not seen may be in fresher metadata.
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException && attempt == 1)
            {
                logger.LogInformation("A {TokenSource} token is signed with an unknown key; refreshing the signing keys", source);
                keys.RequestRefresh();
                continue;
            }

            return (null, null, TokenFailures.Describe(result.Exception));
        }
    }

    private TokenValidationParameters Parameters(TokenSource source, OpenIdConnectConfiguration configuration) => new()
    {
        ValidIssuers = source == TokenSource.Channel ? [ChannelIssuer] : _emulatorIssuers,
        ValidAudiences = source == TokenSource.Channel ? [_options.MicrosoftAppId] : [_options.MicrosoftAppId, $"api://{_options.MicrosoftAppId}"],
        IssuerSigningKeys = configuration.SigningKeys,
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        LifetimeValidator = _lifetime,
    };
}
