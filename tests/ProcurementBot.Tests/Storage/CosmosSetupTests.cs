using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ProcurementBot.Storage;
using ProcurementBot.Storage.Cosmos;

namespace ProcurementBot.Tests.Storage;

/// <summary>
/// The Cosmos DB plumbing under the store: options and their start-up validation, the client (connection
/// string, gateway mode, the emulator's certificate flag), database/container creation, and the diagnostics
/// handler. Runs against the local Cosmos DB server of <see cref="CosmosEmulator"/>, or the real account
/// named by <c>PROCUREMENTBOT_COSMOS_CONNECTION_STRING</c>.
/// </summary>
public sealed class CosmosSetupTests
{
    private const string ValidConnectionString = "AccountEndpoint=https://example.documents.azure.com:443/;AccountKey=c2VjcmV0LWtleQ==;";

    [Fact]
    public async Task EnsureContainer_creates_the_database_and_container_once_partitioned_on_pk_with_ttl_on()
    {
        var emulator = await CosmosEmulator.SharedAsync();
        var options = emulator.Options(CosmosEmulator.UniqueDatabaseName());
        using var client = emulator.CreateClient();
        try
        {
            var first = await CosmosSetup.EnsureContainerAsync(client, options, CancellationToken.None);
            var second = await CosmosSetup.EnsureContainerAsync(client, options, CancellationToken.None);

            Assert.Equal(options.Container, first.Id);
            Assert.Equal(first.Id, second.Id);
            ContainerProperties properties = await second.ReadContainerAsync();
            Assert.Equal("/pk", properties.PartitionKeyPath);
            Assert.Equal(-1, properties.DefaultTimeToLive);

            var containers = new List<string>();
            using var feed = client.GetDatabase(options.Database).GetContainerQueryIterator<ContainerProperties>();
            while (feed.HasMoreResults)
            {
                containers.AddRange((await feed.ReadNextAsync()).Select(c => c.Id));
            }

            Assert.Equal([options.Container], containers);
        }
        finally
        {
            await DeleteDatabaseAsync(client, options.Database);
        }
    }

    [Theory]
    [InlineData(CosmosThroughput.Serverless)]
    [InlineData(CosmosThroughput.Manual)]
    [InlineData(CosmosThroughput.Autoscale)]
    public async Task EnsureContainer_accepts_each_throughput_mode(CosmosThroughput throughput)
    {
        // What this proves: the requests the SDK builds for each mode are accepted and yield a usable container.
        // The local server does not model offers, so RU/s provisioning itself is only checked on a real account,
        // where only the mode matching the account (serverless or provisioned) can succeed: skipped there.
        var emulator = await CosmosEmulator.SharedAsync();
        if (!emulator.IsLocal)
        {
            return;
        }

        var options = emulator.Options(CosmosEmulator.UniqueDatabaseName());
        options.Throughput = throughput;
        using var client = emulator.CreateClient();
        try
        {
            var container = await CosmosSetup.EnsureContainerAsync(client, options, CancellationToken.None);
            using var created = await container.CreateItemStreamAsync(Json("""{"id":"a","pk":"p"}"""), new PartitionKey("p"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        finally
        {
            await DeleteDatabaseAsync(client, options.Database);
        }
    }

    [Fact]
    public async Task EnsureContainer_refuses_an_existing_container_partitioned_differently()
    {
        var emulator = await CosmosEmulator.SharedAsync();
        var options = emulator.Options(CosmosEmulator.UniqueDatabaseName());
        using var client = emulator.CreateClient();
        try
        {
            Database database = await client.CreateDatabaseIfNotExistsAsync(options.Database);
            await database.CreateContainerAsync(new ContainerProperties(options.Container, "/tenant"));

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CosmosSetup.EnsureContainerAsync(client, options, CancellationToken.None));
            Assert.Contains("'/tenant'", error.Message, StringComparison.Ordinal);
            Assert.Contains("'/pk'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await DeleteDatabaseAsync(client, options.Database);
        }
    }

    [Fact]
    public async Task Stream_round_trip_and_a_stale_etag_is_refused_with_412()
    {
        var emulator = await CosmosEmulator.SharedAsync();
        var options = emulator.Options(CosmosEmulator.UniqueDatabaseName());
        using var client = emulator.CreateClient();
        try
        {
            var container = await CosmosSetup.EnsureContainerAsync(client, options, CancellationToken.None);
            var pk = new PartitionKey("checkin:po-1");

            using var created = await container.CreateItemStreamAsync(Json("""{"id":"po-1","pk":"checkin:po-1","type":"checkIn","doc":{"status":"Scheduled"}}"""), pk);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var firstETag = created.Headers.ETag;
            Assert.False(string.IsNullOrEmpty(firstETag));

            using var duplicate = await container.CreateItemStreamAsync(Json("""{"id":"po-1","pk":"checkin:po-1","type":"checkIn","doc":{}}"""), pk);
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

            using (var read = await container.ReadItemStreamAsync("po-1", pk))
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
                Assert.Equal(firstETag, read.Headers.ETag);
                var body = JsonNode.Parse(read.Content)!;
                Assert.Equal("Scheduled", (string?)body["doc"]!["status"]);
            }

            using var replaced = await container.ReplaceItemStreamAsync(
                Json("""{"id":"po-1","pk":"checkin:po-1","type":"checkIn","doc":{"status":"Sending"}}"""), "po-1", pk,
                new ItemRequestOptions { IfMatchEtag = firstETag });
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            Assert.NotEqual(firstETag, replaced.Headers.ETag);

            using var stale = await container.ReplaceItemStreamAsync(
                Json("""{"id":"po-1","pk":"checkin:po-1","type":"checkIn","doc":{"status":"Completed"}}"""), "po-1", pk,
                new ItemRequestOptions { IfMatchEtag = firstETag });
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

            using var after = await container.ReadItemStreamAsync("po-1", pk);
            Assert.Equal("Sending", (string?)JsonNode.Parse(after.Content)!["doc"]!["status"]);

            using var missing = await container.ReadItemStreamAsync("nope", new PartitionKey("checkin:nope"));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        finally
        {
            await DeleteDatabaseAsync(client, options.Database);
        }
    }

    [Fact]
    public async Task Without_DisableServerCertificateValidation_the_local_servers_certificate_is_refused()
    {
        // The flag in the connection string is what lets the SDK accept the self-signed certificate: the SDK
        // parses it itself (we add no callback of our own). Without it the same server is unreachable.
        var emulator = await CosmosEmulator.SharedAsync();
        if (!emulator.IsLocal)
        {
            return;
        }

        var options = emulator.Options("unused");
        options.ConnectionString = options.ConnectionString!.Replace("DisableServerCertificateValidation=True;", "", StringComparison.Ordinal);
        Assert.False(CosmosOptions.DisablesCertificateValidation(options.ConnectionString));
        using var client = CosmosSetup.CreateClient(options, null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var error = await Record.ExceptionAsync(() => client.ReadAccountAsync().WaitAsync(timeout.Token));

        // Refused for its certificate, not for anything else.
        var http = Assert.IsType<HttpRequestException>(error);
        Assert.IsType<System.Security.Authentication.AuthenticationException>(http.InnerException);
    }

    [Fact]
    public async Task The_diagnostics_handler_logs_a_throttled_response_without_the_key()
    {
        // What this proves: a 429 that reaches our handler is logged as a warning with status, path and
        // diagnostics, and nothing of the connection string. The 429 comes from a fake handler placed after ours
        // in the custom-handler chain (the local server never throttles). Custom handlers run outside the SDK's
        // retry handler, so in production the handler sees a 429 only once the SDK's retries gave up.
        var emulator = await CosmosEmulator.SharedAsync();
        var options = emulator.Options(CosmosEmulator.UniqueDatabaseName());
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var clientOptions = CosmosSetup.CreateClientOptions(options, loggerFactory);
        clientOptions.CustomHandlers.Add(new ThrottleItemReads());
        using var client = new CosmosClient(options.ConnectionString, clientOptions);
        try
        {
            var container = await CosmosSetup.EnsureContainerAsync(client, options, CancellationToken.None);
            using var created = await container.CreateItemStreamAsync(Json("""{"id":"a","pk":"p"}"""), new PartitionKey("p"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.DoesNotContain(logs.Entries, e => e.EventId == 4201);

            using var read = await container.ReadItemStreamAsync("a", new PartitionKey("p"));

            Assert.Equal(HttpStatusCode.TooManyRequests, read.StatusCode);
            var entry = Assert.Single(logs.Entries, e => e.EventId == 4201);
            Assert.Equal(LogLevel.Warning, entry.Level);
            Assert.Contains("throttled (429)", entry.Message, StringComparison.Ordinal);
            Assert.Contains("/docs/{id}", entry.Message, StringComparison.Ordinal);
            Assert.Equal("GET", entry.State["Method"]);
            Assert.Equal("250", entry.State["RetryAfterMs"]);
            Assert.True(entry.State.ContainsKey("Diagnostics"));
            Assert.All(logs.Entries, e => Assert.DoesNotContain(CosmosEmulator.WellKnownKey, e.Message, StringComparison.Ordinal));
        }
        finally
        {
            await DeleteDatabaseAsync(client, options.Database);
        }
    }

    [Fact]
    public async Task The_diagnostics_handler_logs_a_slow_request()
    {
        // A fake handler after ours delays item reads beyond a 50 ms threshold; quick requests are not logged.
        var emulator = await CosmosEmulator.SharedAsync();
        var options = emulator.Options(CosmosEmulator.UniqueDatabaseName());
        options.SlowRequestThreshold = TimeSpan.FromMilliseconds(50);
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var clientOptions = CosmosSetup.CreateClientOptions(options, loggerFactory);
        clientOptions.CustomHandlers.Add(new DelayItemReads(TimeSpan.FromMilliseconds(200)));
        using var client = new CosmosClient(options.ConnectionString, clientOptions);
        try
        {
            var container = await CosmosSetup.EnsureContainerAsync(client, options, CancellationToken.None);
            // A person's document is named by their email: the log names neither it nor the person.
            using var created = await container.CreateItemStreamAsync(Json("""{"id":"megan.bowen@contoso.com","pk":"people"}"""), new PartitionKey("people"));
            logs.Clear();

            using var read = await container.ReadItemStreamAsync("megan.bowen@contoso.com", new PartitionKey("people"));

            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var entry = Assert.Single(logs.Entries, e => e.EventId == 4202);
            Assert.Equal(200, entry.State["StatusCode"]);
            Assert.True((double)entry.State["ElapsedMs"]! >= 200);
            Assert.Contains("/docs/{id}", entry.Message, StringComparison.Ordinal);
            Assert.Contains("Diagnostics: {", entry.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("megan", entry.Message, StringComparison.OrdinalIgnoreCase);
            Assert.All(entry.State.Values, value => Assert.DoesNotContain("megan", value?.ToString() ?? "", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await DeleteDatabaseAsync(client, options.Database);
        }
    }

    [Fact]
    public void Options_default_to_serverless_direct_and_documented_names()
    {
        var options = new CosmosOptions();
        Assert.Equal("procurementbot", options.Database);
        Assert.Equal("items", options.Container);
        Assert.Equal(CosmosConnectionMode.Direct, options.ConnectionMode);
        Assert.False(options.LimitToEndpoint);
        Assert.Equal(CosmosThroughput.Serverless, options.Throughput);
        Assert.Null(options.EffectiveThroughputRUs);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.SlowRequestThreshold);
        Assert.Equal(400, new CosmosOptions { Throughput = CosmosThroughput.Manual }.EffectiveThroughputRUs);
        Assert.Equal(1000, new CosmosOptions { Throughput = CosmosThroughput.Autoscale }.EffectiveThroughputRUs);
        Assert.Null(new StorageOptions().RetentionDays);
    }

    public static TheoryData<string, Action<CosmosOptions>> InvalidOptions() => new()
    {
        { "Storage:Cosmos:ConnectionString is required when Storage:Provider is Cosmos", o => o.ConnectionString = null },
        { "needs AccountEndpoint=", o => o.ConnectionString = "AccountKey=c2VjcmV0LWtleQ==;" },
        { "needs AccountKey=<key>", o => o.ConnectionString = "AccountEndpoint=https://example.documents.azure.com:443/;" },
        { "DisableServerCertificateValidation must be True or False", o => o.ConnectionString = ValidConnectionString + "DisableServerCertificateValidation=yes;" },
        { "Storage:Cosmos:Database must not be empty", o => o.Database = " " },
        { "Storage:Cosmos:Container 'a/b' is not a valid Cosmos DB id", o => o.Container = "a/b" },
        { "Storage:Cosmos:ThroughputRUs is set but Storage:Cosmos:Throughput is Serverless", o => o.ThroughputRUs = 400 },
        { "at least 400 and a multiple of 100 for Manual throughput (was 450)", o => { o.Throughput = CosmosThroughput.Manual; o.ThroughputRUs = 450; } },
        { "(the autoscale maximum) must be at least 1000 and a multiple of 1000 (was 500)", o => { o.Throughput = CosmosThroughput.Autoscale; o.ThroughputRUs = 500; } },
        { "Storage:Cosmos:SlowRequestThreshold must be positive", o => o.SlowRequestThreshold = TimeSpan.Zero },
        { "Storage:Cosmos:ConnectionMode must be Direct or Gateway", o => o.ConnectionMode = (CosmosConnectionMode)7 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_named_clearly_and_never_echo_the_key(string expected, Action<CosmosOptions> breakIt)
    {
        var options = new CosmosOptions { ConnectionString = ValidConnectionString };
        Assert.Empty(options.Validate());
        breakIt(options);

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain("c2VjcmV0LWtleQ", e, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(30_000)]
    public void RetentionDays_out_of_range_is_refused(int days)
    {
        var errors = new StorageOptions { RetentionDays = days }.Validate();
        Assert.Contains(errors, e => e.StartsWith("Storage:RetentionDays must be between 1 and", StringComparison.Ordinal));
        Assert.Empty(new StorageOptions { RetentionDays = 30 }.Validate());
    }

    [Fact]
    public void Provider_Cosmos_without_a_connection_string_fails_on_start_with_the_key_named()
    {
        using var services = BuildServices(new() { ["Storage:Provider"] = "Cosmos" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CosmosOptions>>().Value);
        Assert.Contains("Storage:Cosmos:ConnectionString is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_Cosmos_registers_one_client_configured_from_the_keys()
    {
        using var services = BuildServices(new()
        {
            ["Storage:Provider"] = "Cosmos",
            ["Storage:RetentionDays"] = "90",
            ["Storage:Cosmos:ConnectionString"] = ValidConnectionString,
            ["Storage:Cosmos:Database"] = "pb",
            ["Storage:Cosmos:ConnectionMode"] = "Gateway",
            ["Storage:Cosmos:LimitToEndpoint"] = "true",
            ["Storage:Cosmos:Throughput"] = "Autoscale",
            ["Storage:Cosmos:ThroughputRUs"] = "4000",
        });

        var options = services.GetRequiredService<IOptions<CosmosOptions>>().Value;
        Assert.Equal(("pb", CosmosThroughput.Autoscale, 4000), (options.Database, options.Throughput, options.EffectiveThroughputRUs));
        Assert.Equal(90, services.GetRequiredService<IOptions<StorageOptions>>().Value.RetentionDays);

        var client = services.GetRequiredService<CosmosClient>();
        Assert.Same(client, services.GetRequiredService<CosmosClient>());
        Assert.Equal(new Uri("https://example.documents.azure.com:443/"), client.Endpoint);
        Assert.Equal(ConnectionMode.Gateway, client.ClientOptions.ConnectionMode);
        Assert.True(client.ClientOptions.LimitToEndpoint);
        Assert.Contains(client.ClientOptions.CustomHandlers, h => h is CosmosDiagnosticsHandler);
    }

    [Fact]
    public void An_unknown_provider_is_refused_with_both_choices_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildServices(new() { ["Storage:Provider"] = "Mongo" }));
        Assert.Contains("'Sqlite'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Cosmos'", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddStorage(configuration, new FakeEnvironment());
        return services.BuildServiceProvider();
    }

    private static MemoryStream Json(string json) => new(Encoding.UTF8.GetBytes(json));

    private static async Task DeleteDatabaseAsync(CosmosClient client, string database)
    {
        using var _ = await client.GetDatabase(database).DeleteStreamAsync();
    }

    private static bool IsItemRead(RequestMessage request) =>
        request.Method == HttpMethod.Get && request.RequestUri.OriginalString.Contains("/docs/", StringComparison.Ordinal);

    /// <summary>Answers item reads 429 without sending them, as a throttled account would.</summary>
    private sealed class ThrottleItemReads : RequestHandler
    {
        public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
        {
            if (!IsItemRead(request))
            {
                return base.SendAsync(request, cancellationToken);
            }

            var response = new ResponseMessage(HttpStatusCode.TooManyRequests, request, "Request rate is large (test)");
            response.Headers["x-ms-retry-after-ms"] = "250";
            response.Headers["x-ms-request-charge"] = "0.38";
            return Task.FromResult(response);
        }
    }

    private sealed class DelayItemReads(TimeSpan delay) : RequestHandler
    {
        public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
        {
            if (IsItemRead(request))
            {
                await Task.Delay(delay, cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class FakeEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "ProcurementBot.Tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

public sealed record CapturedLog(LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> State);

/// <summary>Keeps every log entry with its structured state, for assertions.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<CapturedLog> entries = [];

    public IReadOnlyList<CapturedLog> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public void Clear()
    {
        lock (entries)
        {
            entries.Clear();
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            var entry = new CapturedLog(logLevel, eventId.Id, formatter(state, exception), values.ToDictionary(kv => kv.Key, kv => kv.Value));
            lock (owner.entries)
            {
                owner.entries.Add(entry);
            }
        }
    }
}
