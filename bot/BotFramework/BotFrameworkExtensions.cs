using Microsoft.Extensions.Http.Resilience;
using Polly;
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
        services.AddHttpClient<ConnectorClient>(ConnectorHttpClient, http => http.Timeout = Timeout.InfiniteTimeSpan)
            // Per-request client logging costs more than the call on loopback; failures surface as ConnectorException.
            .RemoveAllLoggers()
            .AddResilienceHandler("connector", pipeline =>
            {
                // Teams asks bots to retry 412, 429, 502, 503 and 504, honouring Retry-After, with jittered back-off.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 4,
                    BackoffType = Polly.DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(500),
                    MaxDelay = TimeSpan.FromSeconds(30),
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                        || args.Outcome.Result?.StatusCode is System.Net.HttpStatusCode.PreconditionFailed
                            or System.Net.HttpStatusCode.TooManyRequests
                            or System.Net.HttpStatusCode.InternalServerError
                            or System.Net.HttpStatusCode.BadGateway
                            or System.Net.HttpStatusCode.ServiceUnavailable
                            or System.Net.HttpStatusCode.GatewayTimeout),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(15));
            });
        return services;
    }
}
