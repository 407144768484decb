using Microsoft.IdentityModel.JsonWebTokens;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Tokens the Bot Framework Emulator obtains from Entra ID with the bot's own app id and secret.</summary>
internal static class EmulatorTokenRules
{
    /// <summary>The botframework.com tenant, and the tenant the Emulator's v3.2 auth uses.</summary>
    private static readonly string[] WellKnownTenants = ["d6d49420-f39b-4df7-a1dc-d59a935871db", "f8cdef31-a31e-4b4a-93e4-5f571e91255a"];

    /// <summary>v1 and v2 issuers of the well-known tenants, plus the app's own tenant (single-tenant bots).</summary>
    public static HashSet<string> Issuers(string appTenantId)
    {
        var tenants = string.IsNullOrWhiteSpace(appTenantId) ? WellKnownTenants : [.. WellKnownTenants, appTenantId.Trim()];
        return new HashSet<string>(
            tenants.SelectMany(tenant => new[] { $"https://sts.windows.net/{tenant}/", $"https://login.microsoftonline.com/{tenant}/v2.0" }),
            StringComparer.Ordinal);
    }

    /// <summary>The app id is in <c>appid</c> (v1.0 tokens) or <c>azp</c> (v2.0 tokens) and must be the bot's.</summary>
    public static string? Check(JsonWebToken token, string appId)
    {
        if (!token.TryGetPayloadValue<string>("ver", out var version) || string.IsNullOrWhiteSpace(version))
        {
            return "The Emulator token has no 'ver' claim.";
        }

        var claim = version switch
        {
            "1.0" => "appid",
            "2.0" => "azp",
            _ => null,
        };
        if (claim is null)
        {
            return "The Emulator token's version is not 1.0 or 2.0.";
        }

        return token.TryGetPayloadValue<string>(claim, out var tokenAppId) && string.Equals(tokenAppId, appId, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The Emulator token's '{claim}' claim is not this bot's app id.";
    }
}
