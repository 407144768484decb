namespace ProcurementBot.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (default, embedded) or <c>Cosmos</c>.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>
    /// Days a closed (completed, stopped or expired) check-in is kept before the store deletes it; null (the
    /// default) keeps everything. On Cosmos DB this becomes the document's <c>ttl</c>.
    /// </summary>
    public int? RetentionDays { get; set; }

    public SqliteStoreOptions Sqlite { get; set; } = new();

    /// <summary>Every problem with these options, each a sentence naming the key; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!string.Equals(Provider, "Sqlite", StringComparison.OrdinalIgnoreCase) && !string.Equals(Provider, "Cosmos", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Storage:Provider '{Provider}' is not supported. Use 'Sqlite' (the embedded default) or 'Cosmos'.");
        }

        // Cosmos DB ttl is a 32-bit number of seconds.
        if (RetentionDays is { } days && (days < 1 || days > int.MaxValue / 86400))
        {
            errors.Add($"Storage:RetentionDays must be between 1 and {int.MaxValue / 86400} days, or left out to keep everything (was {days}).");
        }

        return errors;
    }
}
