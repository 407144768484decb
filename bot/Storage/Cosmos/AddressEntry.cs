namespace ProcurementBot.Storage.Cosmos;

internal sealed record AddressEntry(string PersonId, DateTimeOffset SeenAt);
