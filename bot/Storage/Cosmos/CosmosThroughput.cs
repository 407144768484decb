namespace ProcurementBot.Storage.Cosmos;

public enum CosmosThroughput
{
    Serverless,
    Manual,
    Autoscale,
}
