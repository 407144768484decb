using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;

namespace ProcurementBot.BotFramework;

public static class BotFrameworkExtensions
{
    public const string ConnectorHttpClient = "BotConnector";

    /// <summary>The Bot Connector protocol: inbound activities, outbound connector calls, the Teams/Emulator gateway, Teams escalation cards.</summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services)
    {
        services.AddSingleton<TrustedServiceUrls>();
        services.AddSingleton<ActivityProcessor>();
        services.AddSingleton<IChannelGateway, BotFrameworkGateway>();
        services.AddSingleton<TeamsEscalationChannel>();
        services.AddSingleton<IEscalationChannel>(sp => sp.GetRequiredService<TeamsEscalationChannel>());
        services.AddSingleton<EscalationActivities>();
        services.AddSingleton<ConnectorClient>();
        services.AddHttpClient(ConnectorHttpClient, http => http.Timeout = Timeout.InfiniteTimeSpan)
            // Per-request client logging costs more than the call on loopback; failures surface as ConnectorException.
            .RemoveAllLoggers()
            // Teams' retry rules, on the app's clock; lighter than a general resilience pipeline on every call.
            .AddHttpMessageHandler(sp => new ConnectorRetryHandler(sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
