using ProcurementBot.Storage;

namespace ProcurementBot.Http;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (IProcurementStore store, ILogger<IProcurementStore> logger, CancellationToken cancellationToken) =>
        {
            try
            {
                if (await store.PingAsync(cancellationToken))
                {
                    return Results.Ok(new { status = "ok", store = "reachable" });
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Health check: the store is unreachable");
            }

            return Results.Json(new { status = "degraded", store = "unreachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
