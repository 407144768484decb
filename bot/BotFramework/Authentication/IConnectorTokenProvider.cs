namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Outbound app tokens for the Bot Connector; null when authentication is off.</summary>
public interface IConnectorTokenProvider
{
    Task<string?> GetTokenAsync(CancellationToken cancellationToken);
}
