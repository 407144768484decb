using System.Text.Json.Serialization;

namespace ProcurementBot.Escalations;

/// <summary>
/// Recent low ratings of one supplier, kept on write so a trend is found without scanning check-ins.
/// </summary>
public sealed record SupplierSignals
{
    /// <summary>The supplier's name, trimmed and lower-cased.</summary>
    public required string SupplierKey { get; init; }
    public IReadOnlyList<LowRating> LowRatings { get; init; } = [];

    /// <summary>
    /// Per trend rule, the start of the window of its last supplier escalation: ratings inside that window
    /// never count again, so one window escalates once.
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastTrendWindowStarts { get; init; } = new Dictionary<string, DateTimeOffset>();

    [JsonIgnore]
    public string ETag { get; init; } = "";

    public static string KeyOf(string supplier) => supplier.Trim().ToLowerInvariant();
}
