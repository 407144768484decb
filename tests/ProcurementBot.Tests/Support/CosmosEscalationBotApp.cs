namespace ProcurementBot.Tests.Support;

/// <summary>
/// <see cref="EscalationBotApp"/> on Cosmos DB instead of SQLite: the local Cosmos DB server the tests start
/// (or a real account from <see cref="CosmosEmulator.ConnectionStringVariable"/>), a database of its own.
/// </summary>
public sealed class CosmosEscalationBotApp : EscalationBotApp
{
    private readonly string _database = CosmosEmulator.UniqueDatabaseName("e2e");
    private CosmosEmulator _cosmos = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Storage:Provider", "Cosmos"),
        new("Storage:Cosmos:ConnectionString", _cosmos.ConnectionString),
        new("Storage:Cosmos:Database", _database),
        new("Storage:Cosmos:ConnectionMode", _cosmos.ConnectionMode.ToString()),
        new("Storage:Cosmos:LimitToEndpoint", _cosmos.IsLocal ? "true" : "false"),
    ];

    public override async Task InitializeAsync()
    {
        _cosmos = await CosmosEmulator.SharedAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        using (var client = _cosmos.CreateClient())
        {
            await client.GetDatabase(_database).DeleteAsync();
        }

        await base.DisposeAsync();
    }
}
