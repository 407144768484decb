namespace ProcurementBot.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (default, embedded) or <c>Cosmos</c>.</summary>
    public string Provider { get; set; } = "Sqlite";

    public SqliteStoreOptions Sqlite { get; set; } = new();
}

public sealed class SqliteStoreOptions
{
    /// <summary>Defaults to <c>data/procurementbot.db</c> under the content root.</summary>
    public string? ConnectionString { get; set; }
}
