namespace ProcurementBot.Admin;

/// <summary>What erasing one person removed, as the erasure endpoint reports it.</summary>
public sealed record ErasureCounts(int People, int CheckIns, int EscalationsAnonymised);
