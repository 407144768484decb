using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>Builds the one <see cref="CosmosClient"/> of the process and makes sure the database and container exist.</summary>
public static class CosmosSetup
{
    /// <summary>The partition key path of the one container (docs/cosmos.md).</summary>
    public const string PartitionKeyPath = "/pk";

    /// <summary>
    /// A client for <paramref name="options"/>: connection mode, limit-to-endpoint, the SDK's 429 retry policy and a
    /// <see cref="CosmosDiagnosticsHandler"/> that logs slow and throttled requests. The SDK itself honours
    /// <c>DisableServerCertificateValidation=True</c> in the connection string (only the emulator's self-signed
    /// certificate is then accepted without checking); nothing here weakens certificate checks otherwise.
    /// </summary>
    public static CosmosClient CreateClient(CosmosOptions options, ILoggerFactory? loggerFactory)
    {
        var clientOptions = CreateClientOptions(options, loggerFactory);
        return new CosmosClient(options.ConnectionString, clientOptions);
    }

    /// <summary>The client options <see cref="CreateClient"/> uses (tests append handlers after the diagnostics handler).</summary>
    internal static CosmosClientOptions CreateClientOptions(CosmosOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Cosmos DB options are invalid: " + string.Join(" ", errors));
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CosmosDiagnosticsHandler>();
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "ProcurementBot",
            ConnectionMode = options.ConnectionMode == CosmosConnectionMode.Gateway ? ConnectionMode.Gateway : ConnectionMode.Direct,
            LimitToEndpoint = options.LimitToEndpoint,
            MaxRetryAttemptsOnRateLimitedRequests = options.MaxRetryAttemptsOnRateLimitedRequests,
            MaxRetryWaitTimeOnRateLimitedRequests = options.MaxRetryWaitTimeOnRateLimitedRequests,

            // Typed item APIs (if used) write documents the way every store does: camelCase, enums by name.
            UseSystemTextJsonSerializerWithOptions = StoreJson.Options,
        };
        clientOptions.CustomHandlers.Add(new CosmosDiagnosticsHandler(logger, options.SlowRequestThreshold));
        return clientOptions;
    }

    /// <summary>
    /// Creates the database (with the configured throughput; none for serverless) and the container
    /// (partition key <c>/pk</c>, default TTL on: -1, so only documents carrying a <c>ttl</c> expire) when missing.
    /// Existing resources are left as they are: their throughput and TTL are not changed.
    /// </summary>
    public static async Task<Container> EnsureContainerAsync(CosmosClient client, CosmosOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);

        var throughput = options.Throughput switch
        {
            CosmosThroughput.Manual => ThroughputProperties.CreateManualThroughput(options.EffectiveThroughputRUs!.Value),
            CosmosThroughput.Autoscale => ThroughputProperties.CreateAutoscaleThroughput(options.EffectiveThroughputRUs!.Value),
            _ => null, // serverless accounts refuse any provisioned throughput
        };

        Database database = await client.CreateDatabaseIfNotExistsAsync(options.Database, throughput, requestOptions: null, cancellationToken);

        var properties = new ContainerProperties(options.Container, PartitionKeyPath) { DefaultTimeToLive = -1 };
        try
        {
            ContainerResponse response = await database.CreateContainerIfNotExistsAsync(properties, throughputProperties: null, requestOptions: null, cancellationToken);
            return response.Container;
        }
        catch (ArgumentException e) when (e.ParamName == "PartitionKey")
        {
            // The SDK refuses an existing container partitioned on another path; say which key to change.
            throw new InvalidOperationException(
                $"Cosmos DB container '{options.Database}/{options.Container}' exists with another partition key than " +
                $"'{PartitionKeyPath}' ({e.Message}). Point Storage:Cosmos:Container at a new container.", e);
        }
    }
}
