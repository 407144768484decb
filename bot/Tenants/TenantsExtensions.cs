namespace ProcurementBot.Tenants;

public static class TenantsExtensions
{
    /// <summary>The tenants and Slack teams the bot serves (read from the Bot Framework and Slack settings).</summary>
    public static IServiceCollection AddTenants(this IServiceCollection services) =>
        services.AddSingleton<TenantPolicy>();
}
