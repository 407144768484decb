namespace ProcurementBot.Slack;

public static class SlackCheckInsExtensions
{
    /// <summary>Events, interactions, people and check-ins in Slack DMs.</summary>
    public static IServiceCollection AddSlackCheckIns(this IServiceCollection services) => services;
}
