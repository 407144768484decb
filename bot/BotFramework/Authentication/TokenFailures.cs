using Microsoft.IdentityModel.Tokens;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Short reasons for a refused token: they become the detail of the 401 (IdentityModel's own messages hide their values).</summary>
internal static class TokenFailures
{
    public static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not trusted.",
        SecurityTokenInvalidAudienceException => "The token is not meant for this bot (audience).",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with an unknown key.",
        SecurityTokenInvalidAlgorithmException => "The token must be signed with RS256.",
        SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        _ => "The token is not valid.",
    };
}
