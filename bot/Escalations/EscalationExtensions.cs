namespace ProcurementBot.Escalations;

public static class EscalationExtensions
{
    /// <summary>Rules, the escalation service, and the background worker that posts, reminds and marks overdue.</summary>
    public static IServiceCollection AddEscalations(this IServiceCollection services)
    {
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EscalationAdmins>();
        services.AddSingleton<EscalationService>();
        services.AddSingleton<EscalationWorker>();
        services.AddHostedService<EscalationWorkerService>();
        return services;
    }
}
