using System.Data.Common;
using System.Globalization;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>How the bot reaches Azure Cosmos DB (NoSQL API), bound from <c>Storage:Cosmos</c>.</summary>
public sealed class CosmosOptions
{
    public const string Section = "Storage:Cosmos";

    /// <summary>
    /// <c>AccountEndpoint=https://&lt;account&gt;.documents.azure.com:443/;AccountKey=&lt;key&gt;;</c>. A local
    /// emulator's string may end with <c>DisableServerCertificateValidation=True;</c>, which the SDK honours
    /// (never use it against a real account).
    /// </summary>
    public string? ConnectionString { get; set; }

    public string Database { get; set; } = "procurementbot";

    public string Container { get; set; } = "items";

    /// <summary><c>Direct</c> (TCP to the replicas, the production default) or <c>Gateway</c> (HTTPS only; emulators).</summary>
    public CosmosConnectionMode ConnectionMode { get; set; } = CosmosConnectionMode.Direct;

    /// <summary>Only the endpoint in the connection string is used: no region discovery (emulators, single-region pinning).</summary>
    public bool LimitToEndpoint { get; set; }

    /// <summary>How the database is provisioned when the bot creates it: <c>Serverless</c>, <c>Manual</c> or <c>Autoscale</c>.</summary>
    public CosmosThroughput Throughput { get; set; } = CosmosThroughput.Serverless;

    /// <summary>Manual: the RU/s (default 400). Autoscale: the maximum RU/s (default 1000). Not used for serverless.</summary>
    public int? ThroughputRUs { get; set; }

    /// <summary>Requests slower than this are logged with their diagnostics.</summary>
    public TimeSpan SlowRequestThreshold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the SDK retries a request answered 429 (rate limited) before giving up.</summary>
    public int MaxRetryAttemptsOnRateLimitedRequests { get; set; } = 9;

    /// <summary>The longest the SDK keeps retrying one rate-limited request.</summary>
    public TimeSpan MaxRetryWaitTimeOnRateLimitedRequests { get; set; } = TimeSpan.FromSeconds(30);

    public const int DefaultManualRUs = 400;

    public const int DefaultAutoscaleMaxRUs = 1000;

    /// <summary>The RU/s to provision for <see cref="Throughput"/>, or null for serverless.</summary>
    public int? EffectiveThroughputRUs => Throughput switch
    {
        CosmosThroughput.Manual => ThroughputRUs ?? DefaultManualRUs,
        CosmosThroughput.Autoscale => ThroughputRUs ?? DefaultAutoscaleMaxRUs,
        _ => null,
    };

    /// <summary>Every problem with these options, each a sentence naming the key; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("Storage:Cosmos:ConnectionString is required when Storage:Provider is Cosmos " +
                "(AccountEndpoint=https://<account>.documents.azure.com:443/;AccountKey=<key>;).");
        }
        else
        {
            ValidateConnectionString(ConnectionString, errors);
        }

        ValidateId("Storage:Cosmos:Database", Database, errors);
        ValidateId("Storage:Cosmos:Container", Container, errors);

        if (!Enum.IsDefined(ConnectionMode))
        {
            errors.Add("Storage:Cosmos:ConnectionMode must be Direct or Gateway.");
        }

        switch (Throughput)
        {
            case CosmosThroughput.Serverless when ThroughputRUs is not null:
                errors.Add("Storage:Cosmos:ThroughputRUs is set but Storage:Cosmos:Throughput is Serverless: " +
                    "set Throughput to Manual or Autoscale, or remove ThroughputRUs.");
                break;
            case CosmosThroughput.Manual when ThroughputRUs is { } manual && (manual < 400 || manual % 100 != 0):
                errors.Add($"Storage:Cosmos:ThroughputRUs must be at least 400 and a multiple of 100 for Manual throughput (was {manual}).");
                break;
            case CosmosThroughput.Autoscale when ThroughputRUs is { } max && (max < 1000 || max % 1000 != 0):
                errors.Add($"Storage:Cosmos:ThroughputRUs (the autoscale maximum) must be at least 1000 and a multiple of 1000 (was {max}).");
                break;
            case CosmosThroughput.Serverless or CosmosThroughput.Manual or CosmosThroughput.Autoscale:
                break;
            default:
                errors.Add("Storage:Cosmos:Throughput must be Serverless, Manual or Autoscale.");
                break;
        }

        if (SlowRequestThreshold <= TimeSpan.Zero)
        {
            errors.Add("Storage:Cosmos:SlowRequestThreshold must be positive (e.g. 00:00:00.500).");
        }

        if (MaxRetryAttemptsOnRateLimitedRequests < 0)
        {
            errors.Add("Storage:Cosmos:MaxRetryAttemptsOnRateLimitedRequests must be 0 or more.");
        }

        if (MaxRetryWaitTimeOnRateLimitedRequests < TimeSpan.Zero)
        {
            errors.Add("Storage:Cosmos:MaxRetryWaitTimeOnRateLimitedRequests must not be negative.");
        }

        return errors;
    }

    /// <summary>True when the connection string asks for the emulator's certificate to be accepted.</summary>
    public static bool DisablesCertificateValidation(string connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return false;
        }

        return builder.TryGetValue("DisableServerCertificateValidation", out var value)
            && bool.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out var disabled)
            && disabled;
    }

    // The messages never repeat the connection string: it holds the account key.
    private static void ValidateConnectionString(string connectionString, List<string> errors)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            errors.Add("Storage:Cosmos:ConnectionString is not a valid connection string (key=value pairs separated by ';').");
            return;
        }

        if (!builder.TryGetValue("AccountEndpoint", out var endpoint)
            || !Uri.TryCreate(Convert.ToString(endpoint, CultureInfo.InvariantCulture), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("Storage:Cosmos:ConnectionString needs AccountEndpoint=https://<account>.documents.azure.com:443/.");
        }

        if (!builder.TryGetValue("AccountKey", out var key) || string.IsNullOrWhiteSpace(Convert.ToString(key, CultureInfo.InvariantCulture)))
        {
            errors.Add("Storage:Cosmos:ConnectionString needs AccountKey=<key>.");
        }

        if (builder.TryGetValue("DisableServerCertificateValidation", out var disable)
            && !bool.TryParse(Convert.ToString(disable, CultureInfo.InvariantCulture), out _))
        {
            errors.Add("Storage:Cosmos:ConnectionString: DisableServerCertificateValidation must be True or False.");
        }
    }

    // Cosmos DB resource ids: 1-255 characters, none of / \ ? #, no trailing space.
    private static void ValidateId(string key, string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{key} must not be empty.");
        }
        else if (value.Length > 255 || value.IndexOfAny(['/', '\\', '?', '#']) >= 0 || value.EndsWith(' '))
        {
            errors.Add($"{key} '{value}' is not a valid Cosmos DB id (at most 255 characters, none of / \\ ? #, no trailing space).");
        }
    }
}
