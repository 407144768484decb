using Microsoft.IdentityModel.Tokens;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Lifetime checked against the app's TimeProvider (IdentityModel reads the system clock), with the usual skew.</summary>
internal static class TokenLifetime
{
    public static LifetimeValidator Validator(TimeProvider clock, TimeSpan skew) => (notBefore, expires, _, _) =>
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (expires.Value.ToUniversalTime() + skew < now)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }

        if (notBefore is { } from && from.ToUniversalTime() - skew > now)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = from };
        }

        return true;
    };
}
