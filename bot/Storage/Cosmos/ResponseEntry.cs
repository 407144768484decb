namespace ProcurementBot.Storage.Cosmos;

/// <summary>A response in its month's index (<c>responses:{yyyy-MM}</c>), as a hint: the check-in is the truth.</summary>
internal sealed record ResponseEntry(string CheckInId, string SupplierKey, string CategoryKey, long CompletedAt);
