namespace ProcurementBot.Storage.Cosmos;

public enum CosmosConnectionMode
{
    Direct,
    Gateway,
}
