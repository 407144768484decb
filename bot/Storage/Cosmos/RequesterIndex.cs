namespace ProcurementBot.Storage.Cosmos;

/// <summary>The check-ins of one requester, as hints: the check-in documents are the truth.</summary>
internal sealed record RequesterIndex(IReadOnlyList<RequesterEntry> CheckIns);
