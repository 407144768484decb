using Microsoft.Azure.Cosmos;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ProcurementBot.Storage.Cosmos;
using ProcurementBot.Storage.Sqlite;

namespace ProcurementBot.Storage;

public static class StorageExtensions
{
    /// <summary>The store named by <c>Storage:Provider</c>; SQLite in <c>data/</c> when nothing is configured.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

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

                services.AddSingleton(_ => new SqliteStore(connectionString));
                services.AddSingleton<IProcurementStore>(sp => sp.GetRequiredService<SqliteStore>());
                services.AddHostedService<SqliteRetention>();
                break;
            case "COSMOS":
                services.AddCosmosStore();
                break;
            default:
                throw new InvalidOperationException(
                    $"Storage:Provider '{options.Provider}' is not supported. Use 'Sqlite' (the embedded default) or 'Cosmos'.");
        }

        return services;
    }

    /// <summary>
    /// <c>Storage:Provider = Cosmos</c>: options from <c>Storage:Cosmos</c> (validated on start), one
    /// <see cref="CosmosClient"/> for the process, and the Cosmos DB <see cref="IProcurementStore"/>.
    /// </summary>
    public static IServiceCollection AddCosmosStore(this IServiceCollection services)
    {
        services.AddOptions<CosmosOptions>().BindConfiguration(CosmosOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CosmosOptions>, CosmosOptionsValidator>();
        services.AddSingleton(sp => CosmosSetup.CreateClient(
            sp.GetRequiredService<IOptions<CosmosOptions>>().Value, sp.GetService<ILoggerFactory>()));
        services.AddSingleton<IProcurementStore>(sp => new CosmosStore(
            sp.GetRequiredService<CosmosClient>(), sp.GetRequiredService<IOptions<CosmosOptions>>(),
            sp.GetRequiredService<IOptions<StorageOptions>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<CosmosStore>>()));
        return services;
    }
}
