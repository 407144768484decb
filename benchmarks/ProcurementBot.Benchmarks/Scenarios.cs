using System.Diagnostics;
using ProcurementBot.CheckIns;
using ProcurementBot.Storage;
using ProcurementBot.Tests.Support;

namespace ProcurementBot.Benchmarks;

internal static class Scenarios
{
    public const string ResultPrefix = "RESULT ";

    // Every check-in of the general-goods set is two typed turns: a rating of 4 (no follow-up), then "yes".
    private static readonly string[] OneCheckIn = ["4", "yes"];

    public static async Task<ScenarioResult> BareAsync(BenchmarkOptions options)
    {
        await using var connector = await ConnectorStandIn.StartAsync();
        await using var bare = await BareEndpoint.StartAsync();
        using var client = Client(bare.Address);

        var (saturated, paced) = await MeasureAsync(client, connector.ServiceUrl, options, bearer: null);
        return Result("bare endpoint", saturated, paced, connector.Calls, "parsed every activity and posted one reply each");
    }

    public static async Task<ScenarioResult> BotAsync(BenchmarkOptions options)
    {
        await using var connector = await ConnectorStandIn.StartAsync();
        // With authentication on, the bot validates a locally signed channel token on every turn and gets its
        // outbound token from a loopback token endpoint, exactly as against the Bot Framework cloud.
        await using var identity = options.Authentication ? await LocalBotFrameworkIdentity.StartAsync() : null;
        await using var bot = new BotUnderTest(identity?.BotConfiguration() ?? [], services => identity?.TrustFrom(services));
        bot.UseKestrel(0);
        bot.StartServer();
        using var client = Client(bot.Address);
        var bearer = identity?.CreateChannelToken(connector.ServiceUrl);

        // Every person installs the bot and has a batch of delivered purchases whose check-ins are sent.
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Conversations), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, _) =>
            await Load.SendAsync(client, Load.Activity(user, connector.ServiceUrl, "conversationUpdate"), bearer));
        await PostPurchasesAsync(client, options);
        var sent = await bot.DispatchAllDueAsync();
        Console.WriteLine($"{sent} check-ins sent");

        var (saturated, paced) = await MeasureAsync(client, connector.ServiceUrl, options, bearer);

        var completed = await CountCompletedAsync(bot.Services.GetRequiredService<IProcurementStore>(), options.Conversations);
        var expected = options.Conversations * CheckInsPerConversation(options);
        if (completed != expected)
        {
            throw new InvalidOperationException($"{completed} check-ins completed; expected {expected}.");
        }

        var name = options.Authentication ? "bot (auth on)" : "bot (auth off)";
        return Result(name, saturated, paced, connector.Calls, $"all {completed} check-ins completed with their answers stored");
    }

    // Warm-up check-ins (until the JIT has settled), then the saturated phase, then the paced phase.
    private static int CheckInsPerConversation(BenchmarkOptions options) => options.WarmUpCheckIns + (2 * options.CheckInsPerConversation);

    private static async Task<(Measurement Saturated, Measurement Paced)> MeasureAsync(HttpClient client, string serviceUrl, BenchmarkOptions options, string? bearer)
    {
        string[] script = [.. Enumerable.Repeat(OneCheckIn, options.CheckInsPerConversation).SelectMany(turns => turns)];
        string[] warmUp = [.. Enumerable.Repeat(OneCheckIn, options.WarmUpCheckIns).SelectMany(turns => turns)];
        await Load.RunAsync(client, serviceUrl, options.Conversations, warmUp, bearer);
        var saturated = await Load.RunAsync(client, serviceUrl, options.Conversations, script, bearer);
        var paced = await Load.RunAsync(client, serviceUrl, options.Conversations, script, bearer, options.Pace);
        return (saturated, paced);
    }

    private static HttpClient Client(string address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromMinutes(2),
        };

    private static async Task PostPurchasesAsync(HttpClient client, BenchmarkOptions options)
    {
        var purchases = Enumerable.Range(0, options.Conversations)
            .SelectMany(user => Enumerable.Range(0, CheckInsPerConversation(options)).Select(n => new
            {
                purchaseId = $"PO-B{user:D6}-{n:D4}",
                requesterEmail = Load.EmailOf(Load.UserId(user)),
                supplier = "Staples",
                category = "office-supplies",
                description = "Ergonomic office chair",
                deliveredAt = DateTimeOffset.UtcNow.AddDays(-2),
                checkInAt = DateTimeOffset.UtcNow.AddMinutes(-n - 1),
            }));
        foreach (var batch in purchases.Chunk(500))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/purchases") { Content = JsonContent.Create(batch) };
            request.Headers.Add("X-Api-Key", BotUnderTest.IntakeKey);
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task<int> CountCompletedAsync(IProcurementStore store, int conversations)
    {
        var completed = 0;
        for (var user = 0; user < conversations; user++)
        {
            var done = await store.GetCheckInsForRequesterAsync(Load.EmailOf(Load.UserId(user)), [CheckInStatus.Completed], CancellationToken.None);
            completed += done.Count(c => c.Answers.Count == 2);
        }

        return completed;
    }

    private static ScenarioResult Result(string name, Measurement saturated, Measurement paced, long connectorCalls, string check)
    {
        using var self = Process.GetCurrentProcess();
        return new ScenarioResult(name, PhaseResult.From(saturated), PhaseResult.From(paced), self.PeakWorkingSet64 / 1024.0 / 1024.0, connectorCalls, check);
    }
}
