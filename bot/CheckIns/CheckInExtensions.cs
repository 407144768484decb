using Microsoft.Extensions.Options;
using ProcurementBot.People;
using ProcurementBot.Purchases;

namespace ProcurementBot.CheckIns;

public static class CheckInExtensions
{
    /// <summary>Purchases in, check-ins out: intake, people, the conversation and the background sender.</summary>
    public static IServiceCollection AddCheckIns(this IServiceCollection services)
    {
        services.AddOptions<CheckInOptions>().BindConfiguration(CheckInOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CheckInOptions>, CheckInOptionsValidator>();
        services.AddSingleton<PeopleDirectory>();
        services.AddSingleton<PurchaseIntake>();
        services.AddSingleton<PendingCheckIns>();
        services.AddSingleton<FinishedCheckIns>();
        services.AddSingleton<CheckInConversation>();
        services.AddSingleton<CheckInDispatcher>();
        services.AddHostedService<CheckInDispatchService>();
        return services;
    }
}
