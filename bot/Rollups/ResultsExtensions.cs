namespace ProcurementBot.Rollups;

public static class ResultsExtensions
{
    public static IServiceCollection AddResults(this IServiceCollection services)
    {
        services.AddSingleton<ResultRollups>();
        return services;
    }
}
