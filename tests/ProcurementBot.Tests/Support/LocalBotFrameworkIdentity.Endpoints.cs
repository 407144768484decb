using Microsoft.IdentityModel.Tokens;

namespace ProcurementBot.Tests.Support;

/// <summary>The stand-in's HTTP endpoints: two OpenID metadata documents, their key sets, and the token endpoint.</summary>
public sealed partial class LocalBotFrameworkIdentity
{
    private void Map(WebApplication app)
    {
        app.MapGet("/v1/.well-known/openidconfiguration", () => Metadata(ChannelIssuer, $"{BaseUrl}/v1/.well-known/keys"));
        app.MapGet("/v1/.well-known/keys", () => KeySet([.. _channelKeys], withEndorsements: true));
        app.MapGet("/botframework.com/v2.0/.well-known/openid-configuration",
            () => Metadata("https://login.microsoftonline.com/{tenantid}/v2.0", $"{BaseUrl}/common/discovery/v2.0/keys"));
        app.MapGet("/common/discovery/v2.0/keys", () => KeySet([EmulatorKey], withEndorsements: false));
        app.MapPost("/{tenant}/oauth2/v2.0/token", IssueTokenAsync);
        app.MapGet($"/{AppTenantId}/v2.0/.well-known/openid-configuration", () => Metadata(EntraIssuer, $"{BaseUrl}/{AppTenantId}/discovery/v2.0/keys"));
        app.MapGet($"/{AppTenantId}/discovery/v2.0/keys", () => KeySet([EntraKey], withEndorsements: false));
    }

    private IResult Metadata(string issuer, string jwksUri)
    {
        Interlocked.Increment(ref _metadataRequests);
        return !MetadataAvailable ? Results.StatusCode(503) : Results.Json(new JsonObject
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = $"{BaseUrl}/common/oauth2/v2.0/authorize",
            ["jwks_uri"] = jwksUri,
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        });
    }

    private IResult KeySet(IReadOnlyList<TestSigningKey> keys, bool withEndorsements)
    {
        Interlocked.Increment(ref _metadataRequests);
        if (!MetadataAvailable)
        {
            return Results.StatusCode(503);
        }

        var array = new JsonArray();
        foreach (var key in keys)
        {
            var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
            var jwk = new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = key.Kid,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            };
            if (withEndorsements)
            {
                jwk["endorsements"] = new JsonArray([.. key.Endorsements.Select(e => JsonValue.Create(e))]);
            }

            array.Add(jwk);
        }

        return Results.Json(new JsonObject { ["keys"] = array });
    }

    private async Task<IResult> IssueTokenAsync(string tenant, HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var secretMatched = form["client_secret"] == AppPassword;
        var token = $"stand-in-connector-token-{Guid.NewGuid():N}";
        _tokenRequests.Enqueue(new TokenRequest(tenant, form["client_id"], form["scope"], form["grant_type"], secretMatched, token));
        if (!secretMatched)
        {
            return Results.Json(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
        }

        return Results.Json(new { token_type = "Bearer", expires_in = 3599, ext_expires_in = 3599, access_token = token });
    }
}
