using ProcurementBot.CheckIns;
using ProcurementBot.People;

namespace ProcurementBot.Slack;

public static class SlackCheckInsExtensions
{
    /// <summary>Events, interactions, people and check-ins in Slack DMs.</summary>
    public static IServiceCollection AddSlackCheckIns(this IServiceCollection services)
    {
        services.AddSingleton<SlackPeople>();
        services.AddSingleton<IDirectoryLookup>(sp => sp.GetRequiredService<SlackPeople>());
        services.AddSingleton<SlackReplies>();
        services.AddSingleton<IChannelGateway, SlackGateway>();
        services.AddSingleton<ISlackEventHandler, SlackDirectMessages>();
        services.AddSingleton<ISlackInteractionHandler, SlackCheckInActions>();
        return services;
    }
}
