namespace ProcurementBot.Storage.Cosmos;

/// <summary>A bot instance's heartbeat (<c>instances</c> partition): alive until <see cref="Until"/> (Unix ms).</summary>
internal sealed record InstanceHeartbeat(string InstanceId, long Until);
