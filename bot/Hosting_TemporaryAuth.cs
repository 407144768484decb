// TEMPORARY until the authentication branch lands: local mode only.
namespace ProcurementBot.BotFramework.Authentication;

public static class TemporaryAuthExtensions
{
    public static IServiceCollection AddBotFrameworkAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<IBotRequestAuthenticator, LocalOnly>();
        services.AddSingleton<IConnectorTokenProvider, LocalOnly>();
        return services;
    }

    private sealed class LocalOnly : IBotRequestAuthenticator, IConnectorTokenProvider
    {
        public bool IsEnabled => false;

        public Task<BotAuthResult> AuthenticateAsync(string? authorizationHeader, string channelId, string? serviceUrl, CancellationToken cancellationToken) =>
            Task.FromResult(BotAuthResult.Anonymous);

        public Task<string?> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }
}
