using Microsoft.AspNetCore.Authentication.JwtBearer;
using ProcurementBot.Admin;

namespace ProcurementBot.Tests.Support;

/// <summary>The stand-in as the organisation's Entra ID tenant, issuing access tokens for the admin API.</summary>
public sealed partial class LocalBotFrameworkIdentity
{
    public const string AdminAudience = "api://procurementbot-admin";
    public const string AdminRole = "ProcurementBot.Admin";
    public const string AdminGroup = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d";

    /// <summary>The tenant's signing key (published at its JWKS).</summary>
    public TestSigningKey EntraKey { get; } = NewKey([]);

    /// <summary>The tenant's v2.0 issuer, which is also the authority the bot is configured with.</summary>
    public string EntraIssuer => $"{BaseUrl}/{AppTenantId}/v2.0";

    /// <summary>Admin settings that accept this tenant's tokens carrying <see cref="AdminRole"/> or membership of <see cref="AdminGroup"/>.</summary>
    public IEnumerable<KeyValuePair<string, string?>> AdminEntraConfiguration() => new Dictionary<string, string?>
    {
        ["Admin:Entra:Authority"] = EntraIssuer,
        ["Admin:Entra:Audience"] = AdminAudience,
        ["Admin:Entra:RequiredRole"] = AdminRole,
        ["Admin:Entra:RequiredGroup"] = AdminGroup,
    };

    /// <summary>Makes the admin bearer scheme's metadata client trust this stand-in's certificate (set before JwtBearer builds that client).</summary>
    public void TrustFromAdminBearer(IServiceCollection services) =>
        services.Configure<JwtBearerOptions>(AdminAuthentication.Scheme, jwt => jwt.BackchannelHttpHandler = TrustingHandler());

    /// <summary>An Entra ID access token for the admin API; every knob defaults to what a valid admin's token says.</summary>
    public string CreateAdminToken(
        string objectId = "3f2e1d0c-0000-4000-8000-00000000ad01",
        string name = "Ada Admin",
        string[]? roles = null,
        string[]? groups = null,
        string? audience = null,
        string? issuer = null,
        DateTimeOffset? issuedAt = null,
        TimeSpan? lifetime = null,
        TestSigningKey? key = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["oid"] = objectId,
            ["name"] = name,
            ["preferred_username"] = "ada@contoso.com",
            ["tid"] = AppTenantId,
            ["ver"] = "2.0",
            ["roles"] = roles ?? [AdminRole],
        };
        if (groups is not null)
        {
            claims["groups"] = groups;
        }

        return Create(issuer ?? EntraIssuer, audience ?? AdminAudience, claims, issuedAt, lifetime, (key ?? EntraKey).Credentials);
    }
}
