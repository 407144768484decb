namespace ProcurementBot.Storage.Cosmos;

/// <summary>Ids of escalations waiting for a channel.</summary>
internal sealed record AwaitingList(IReadOnlyList<string> Ids);
