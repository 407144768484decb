using Microsoft.Data.Sqlite;
using ProcurementBot.Storage.Sqlite;

namespace ProcurementBot.Storage;

public static class StorageExtensions
{
    /// <summary>The store named by <c>Storage:Provider</c>; SQLite in <c>data/</c> when nothing is configured.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        switch (options.Provider.ToUpperInvariant())
        {
            case "SQLITE":
                var connectionString = options.Sqlite.ConnectionString;
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    var file = Path.Combine(environment.ContentRootPath, "data", "procurementbot.db");
                    connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ToString();
                }

                services.AddSingleton<IProcurementStore>(_ => new SqliteStore(connectionString));
                break;
            default:
                throw new InvalidOperationException(
                    $"Storage:Provider '{options.Provider}' is not supported by this build. Use 'Sqlite' (the embedded default).");
        }

        return services;
    }
}
