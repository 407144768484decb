namespace ProcurementBot.Storage.Cosmos;

/// <summary>A check-in set aside as failed, listed for the admins (pk <c>failed</c>), as a hint: the check-in is the truth.</summary>
internal sealed record FailedEntry(string CheckInId);
