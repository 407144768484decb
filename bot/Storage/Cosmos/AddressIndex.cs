namespace ProcurementBot.Storage.Cosmos;

/// <summary>Who an address reaches: every person that has it, with when they were seen.</summary>
internal sealed record AddressIndex(IReadOnlyList<AddressEntry> People);
