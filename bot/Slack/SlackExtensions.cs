using Microsoft.Extensions.Options;

namespace ProcurementBot.Slack;

public static class SlackExtensions
{
    /// <summary>Slack as a channel: request verification, the Web API client, people, check-ins and escalations in Slack.</summary>
    public static IServiceCollection AddSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddSingleton<SlackPacer>();
        services.AddSingleton<SlackApiClient>();
        services.AddHttpClient(SlackApiClient.HttpClientName).RemoveAllLoggers();

        // Events and clicks are stored, acknowledged, and worked from the store in the background, each once.
        services.AddOptions<SlackInboxOptions>().BindConfiguration(SlackInboxOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackInboxOptions>, SlackInboxOptionsValidator>();
        services.AddSingleton<SlackRouter>();
        services.AddSingleton<SlackInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackInbox>());
        services.AddSlackCheckIns();
        services.AddSlackEscalations();
        return services;
    }
}
