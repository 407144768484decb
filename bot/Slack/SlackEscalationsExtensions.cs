using ProcurementBot.Escalations;

namespace ProcurementBot.Slack;

public static class SlackEscalationsExtensions
{
    /// <summary>Escalations in Slack channels: "escalate here", the escalation message and its buttons, the Resolve modal.</summary>
    public static IServiceCollection AddSlackEscalations(this IServiceCollection services)
    {
        services.AddSingleton<SlackEscalationAdapter>();
        services.AddSingleton<IEscalationAdapter>(sp => sp.GetRequiredService<SlackEscalationAdapter>());
        services.AddSingleton<SlackEscalationActors>();
        services.AddSingleton<SlackEscalationResponses>();
        services.AddSingleton<ISlackEventHandler, SlackEscalationMentions>();
        services.AddSingleton<ISlackInteractionHandler, SlackEscalationActions>();
        return services;
    }
}
