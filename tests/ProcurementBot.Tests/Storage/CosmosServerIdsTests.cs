using Microsoft.Azure.Cosmos;

namespace ProcurementBot.Tests.Storage;

/// <summary>
/// The local Cosmos DB server hands out resource ids that are base64 counters; unpatched, every 64th database got an id
/// with '/' or '+', which broke the SDK's partition key range lookups for that one database (a test failing at random,
/// depending on which test created it). The fixture's launcher skips such ids.
/// </summary>
public sealed class CosmosServerIdsTests
{
    [Fact]
    public async Task Every_database_and_container_gets_an_id_that_is_safe_in_a_URL_path()
    {
        var emulator = await CosmosEmulator.SharedAsync();
        if (!emulator.IsLocal)
        {
            return; // Real accounts never had the defect.
        }

        using var client = emulator.CreateClient();
        var names = Enumerable.Range(0, 140).Select(_ => CosmosEmulator.UniqueDatabaseName("ids")).ToList();
        try
        {
            foreach (var name in names)
            {
                var database = (await client.CreateDatabaseAsync(name)).Database;
                var container = (await database.CreateContainerAsync("c", "/pk")).Container;
                var read = await container.ReadContainerAsync();
                // "dbs/{database rid}/colls/{container rid}": a rid with '/' would add segments, one with '+' reads as a space.
                var segments = read.Resource.SelfLink.Trim('/').Split('/');
                Assert.Equal(4, segments.Length);
                Assert.DoesNotContain('+', read.Resource.SelfLink);

                // A single-partition query asks for the partition key ranges by resource id.
                using var query = container.GetItemQueryIterator<dynamic>(new QueryDefinition("SELECT * FROM c WHERE c.pk = 'x'"), requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("x") });
                Assert.Empty(await query.ReadNextAsync());
            }
        }
        finally
        {
            foreach (var name in names)
            {
                using var _ = await client.GetDatabase(name).DeleteStreamAsync();
            }
        }
    }
}
