using Microsoft.Extensions.Options;
using ProcurementBot.BotFramework.Pacing;
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
        services.AddSingleton<ActivityTenantFilter>();
        services.AddSingleton<ActivityProcessor>();
        services.AddSingleton<IChannelGateway, BotFrameworkGateway>();
        services.AddSingleton<TeamsEscalationAdapter>();
        services.AddSingleton<IEscalationAdapter>(sp => sp.GetRequiredService<TeamsEscalationAdapter>());
        services.AddSingleton<EscalationActivities>();
        services.AddSingleton<ConnectorClient>();
        services.AddOptions<PacingOptions>().BindConfiguration(PacingOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.InstanceTimeout > o.HeartbeatInterval, "Pacing:InstanceTimeout must be longer than Pacing:HeartbeatInterval.")
            .ValidateOnStart();
        services.AddSingleton<ConnectorPacer>();
        // Heartbeats in the store, so instances split the app limit between them.
        services.AddHostedService(sp => sp.GetRequiredService<InstanceRegistry>());
        services.AddSingleton<InstanceRegistry>();
        var connector = services.AddHttpClient(ConnectorHttpClient, http => http.Timeout = Timeout.InfiniteTimeSpan)
            // Per-request client logging costs more than the call on loopback; failures surface as ConnectorException.
            .RemoveAllLoggers()
            // Teams' retry rules, on the app's clock; lighter than a general resilience pipeline on every call.
            .AddHttpMessageHandler(sp => new ConnectorRetryHandler(sp.GetRequiredService<TimeProvider>()));
        // Teams' rate limits, inside the retry handler so each retry waits its turn too.
        connector.AddHttpMessageHandler(sp => sp.GetRequiredService<IOptions<PacingOptions>>().Value.Enabled
            ? new ConnectorPacingHandler(sp.GetRequiredService<ConnectorPacer>(), sp.GetRequiredService<TimeProvider>())
            : new PassThroughHandler());
        return services;
    }
}
