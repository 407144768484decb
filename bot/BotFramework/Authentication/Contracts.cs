using System.Security.Claims;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Checks the bearer token of an inbound Bot Framework request.</summary>
public interface IBotRequestAuthenticator
{
    /// <summary>False when <c>MicrosoftAppId</c> is empty: local, unauthenticated mode.</summary>
    bool IsEnabled { get; }

    Task<BotAuthResult> AuthenticateAsync(string? authorizationHeader, string channelId, string? serviceUrl, CancellationToken cancellationToken);
}

public sealed record BotAuthResult(bool Succeeded, string? Failure, ClaimsIdentity? Identity)
{
    public static BotAuthResult Anonymous { get; } = new(true, null, null);
    public static BotAuthResult Fail(string reason) => new(false, reason, null);
}

/// <summary>Outbound app tokens for the Bot Connector; null when authentication is off.</summary>
public interface IConnectorTokenProvider
{
    Task<string?> GetTokenAsync(CancellationToken cancellationToken);
}
