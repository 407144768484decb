namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Checks the bearer token of an inbound Bot Framework request.</summary>
public interface IBotRequestAuthenticator
{
    /// <summary>False when <c>MicrosoftAppId</c> is empty: local, unauthenticated mode.</summary>
    bool IsEnabled { get; }

    Task<BotAuthResult> AuthenticateAsync(string? authorizationHeader, string channelId, string? serviceUrl, CancellationToken cancellationToken);
}
