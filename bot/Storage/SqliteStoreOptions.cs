namespace ProcurementBot.Storage;

public sealed class SqliteStoreOptions
{
    /// <summary>Defaults to <c>data/procurementbot.db</c> under the content root.</summary>
    public string? ConnectionString { get; set; }
}
