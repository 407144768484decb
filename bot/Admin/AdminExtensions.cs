using Microsoft.Extensions.Options;

namespace ProcurementBot.Admin;

public static class AdminExtensions
{
    /// <summary>Admin options (validated on start), the Entra ID bearer scheme, the gate and the audit log.</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // The admin bearer scheme must never become the default for every request (it would try Bot Framework tokens too).
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);

        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        AdminAuthentication.AddScheme(services);
        services.AddSingleton<AdminAuthentication>();
        services.AddSingleton<AdminAudit>();
        return services;
    }
}
