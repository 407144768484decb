namespace ProcurementBot.Slack;

public static class SlackExtensions
{
    /// <summary>Slack as a channel: request verification, the Web API client, people, check-ins and escalations in Slack.</summary>
    public static IServiceCollection AddSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section);
        services.AddSingleton<SlackApiClient>();
        services.AddHttpClient(SlackApiClient.HttpClientName).RemoveAllLoggers();
        services.AddSlackCheckIns();
        services.AddSlackEscalations();
        return services;
    }
}
