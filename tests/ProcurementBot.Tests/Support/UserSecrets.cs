using Microsoft.Extensions.Configuration.Json;

namespace ProcurementBot.Tests.Support;

/// <summary>The bot reads user secrets in every environment; the developer's own stay out of the tests.</summary>
public static class UserSecrets
{
    public static IWebHostBuilder WithoutUserSecrets(this IWebHostBuilder builder) =>
        // Runs when the host is built, after Program has added its sources.
        builder.ConfigureAppConfiguration((_, configuration) =>
        {
            foreach (var secrets in configuration.Sources.OfType<JsonConfigurationSource>().Where(s => s.Path == "secrets.json").ToList())
            {
                configuration.Sources.Remove(secrets);
            }
        });
}
