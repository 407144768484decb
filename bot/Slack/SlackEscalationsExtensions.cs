namespace ProcurementBot.Slack;

public static class SlackEscalationsExtensions
{
    /// <summary>Escalations in Slack channels: "escalate here", the escalation message and its buttons, the Resolve modal.</summary>
    public static IServiceCollection AddSlackEscalations(this IServiceCollection services) => services;
}
