using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProcurementBot.Storage;
using ProcurementBot.Storage.Cosmos;

namespace ProcurementBot.Tests.Storage;

/// <summary>
/// The store contract on Cosmos DB: the local emulator (or the real account named by
/// <c>PROCUREMENTBOT_COSMOS_CONNECTION_STRING</c>), a fresh database per test, deleted afterwards.
/// </summary>
public sealed class CosmosStoreContractTests : StoreContract, IDisposable
{
    private readonly string _database = CosmosEmulator.UniqueDatabaseName("contract");
    private readonly List<CosmosClient> _clients = [];
    private CosmosEmulator? _emulator;

    protected override async Task<IProcurementStore> CreateStoreAsync()
    {
        _emulator = await CosmosEmulator.SharedAsync();
        return NewStore(_emulator, _database, _clients);
    }

    protected override async Task<IProcurementStore> ConnectAgainAsync()
    {
        // Another instance: its own client, on the database the first one made.
        var store = NewStore(_emulator!, _database, _clients);
        await store.InitializeAsync(default);
        return store;
    }

    protected override async Task DeleteStoreAsync()
    {
        if (_clients.Count > 0)
        {
            using var response = await _clients[0].GetDatabase(_database).DeleteStreamAsync();
        }
    }

    [Fact]
    public async Task A_Slack_item_that_cannot_be_stored_is_a_failure_not_a_duplicate()
    {
        // The container is gone (deleted under the bot): the create fails (Cosmos DB answers 404, the local emulator
        // 500), which must not pass for Slack's retry (a 409), or the event would be answered 200 and never handled.
        using (var deleted = await _clients[0].GetContainer(_database, new CosmosOptions().Container).DeleteContainerStreamAsync())
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        var item = new ProcurementBot.Slack.SlackItem("event:Ev-gone", ProcurementBot.Slack.SlackItemKind.Event, "U1", 1, "{}", T0) { NextAttemptAt = T0 };

        var failure = await Assert.ThrowsAsync<CosmosException>(() => Store.TryAddSlackItemAsync(item, default));
        Assert.NotEqual(System.Net.HttpStatusCode.Conflict, failure.StatusCode);
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    /// <summary>A store on its own client; the client is remembered so the test disposes it.</summary>
    internal static CosmosStore NewStore(CosmosEmulator emulator, string database, List<CosmosClient> clients, StorageOptions? storage = null)
    {
        var client = emulator.CreateClient();
        clients.Add(client);
        return new CosmosStore(client, Options.Create(emulator.Options(database)), Options.Create(storage ?? new StorageOptions()),
            TimeProvider.System, NullLogger<CosmosStore>.Instance);
    }
}
