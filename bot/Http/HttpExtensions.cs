namespace ProcurementBot.Http;

public static class HttpExtensions
{
    /// <summary>ProblemDetails bodies, and the one mapping of malformed input to 400 for every endpoint.</summary>
    public static IServiceCollection AddRequestErrors(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<MalformedInputHandler>();
        return services;
    }
}
