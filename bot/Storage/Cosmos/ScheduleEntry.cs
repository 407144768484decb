namespace ProcurementBot.Storage.Cosmos;

/// <summary>An entry of a schedule shard (<c>due:{n}</c>, <c>escdue:{n}</c>): the entity may have work at <see cref="At"/> (Unix ms).</summary>
internal sealed record ScheduleEntry(string Id, long At);
