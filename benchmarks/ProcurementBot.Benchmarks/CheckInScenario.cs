using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Http;
using ProcurementBot.BotFramework;
using ProcurementBot.People;
using ProcurementBot.Storage;

namespace ProcurementBot.Benchmarks;

/// <summary>
/// <c>-- checkins</c>: 100,000 due check-ins delivered by the real dispatcher, in bot processes of their own
/// sharing one SQLite file, to a connector that enforces Teams' limits times one factor (<see cref="LimitedConnector"/>).
/// Run once with one instance and once with two. A delivery wave: 25,000 people who installed the bot, each
/// with four purchases delivered together (a laptop refresh: laptop, dock, monitor, headset), all due at once.
/// </summary>
internal static class CheckInScenario
{
    private const string WorkerResult = "WORKER ";
    private const int PurchasesPerPerson = 4;
    private static readonly string[] TuningArguments = ["--batch", "--concurrency"];
    private static readonly string[] Categories = ["laptops", "docking stations", "monitors", "headsets"];

    public static async Task<int> RunAsync(string[] args)
    {
        var total = int.Parse(Value(args, "--total") ?? "100000", CultureInfo.InvariantCulture);
        var factor = int.Parse(Value(args, "--factor") ?? "4", CultureInfo.InvariantCulture);
        var runs = Value(args, "--instances") is { } n ? [int.Parse(n, CultureInfo.InvariantCulture)] : new[] { 1, 2 };
        var people = total / PurchasesPerPerson;
        // Dispatcher tuning passed on to the bot processes (defaults: batch 500, 64 sends at once).
        string[] tuning = [.. TuningArguments.Where(a => Value(args, a) is not null).SelectMany(a => new[] { a, Value(args, a)! })];
        Console.WriteLine($"ProcurementBot check-in delivery benchmark: {total} check-ins for {people} people ({PurchasesPerPerson} each), Teams' limits x {factor} " +
            $"(app {50 * factor}/s; per conversation {7 * factor}/1 s, {8 * factor}/2 s, {60 * factor}/30 s, {1800 * factor}/h), 0.5% of calls failed with 412/502/504, {Environment.ProcessorCount} cores");

        await using var connector = await LimitedConnector.StartAsync(factor, faultRate: 0.005);
        var template = Path.Combine(Path.GetTempPath(), $"procurementbot-checkins-{Guid.NewGuid():N}.db");
        var rows = new List<string>();
        try
        {
            var seeding = Stopwatch.StartNew();
            await SeedAsync(template, connector.ServiceUrl, people);
            Console.WriteLine($"seeded {people} people and {total} due check-ins (intake through /api/purchases) in {seeding.Elapsed.TotalSeconds:F0} s");
            foreach (var instances in runs)
            {
                rows.Add(await DeliverAsync(template, connector, instances, factor, total, tuning));
            }
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(template + suffix);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| instances | check-ins | time s | calls/s | of allowed rate | 429s | 429 % | retried faults | lost | duplicates | p50 ms | p99 ms | peak working set MB (each) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static async Task SeedAsync(string database, string serviceUrl, int people)
    {
        await using (var bot = new BotUnderTest([new("Storage:Sqlite:ConnectionString", $"Data Source={database}")], _ => { }))
        {
            var store = bot.Services.GetRequiredService<IProcurementStore>();
            var now = DateTimeOffset.UtcNow;
            for (var p = 0; p < people; p++)
            {
                var userId = $"29:1bench{p:D6}";
                await store.UpsertPersonAsync(new Person
                {
                    Id = Person.MakeId("msteams", userId),
                    Channel = "msteams",
                    UserId = userId,
                    Name = $"Person {p}",
                    Email = Email(p),
                    TenantId = Load.TenantId,
                    ServiceUrl = serviceUrl,
                    ConversationId = $"a:1bench{p:D6}",
                    BotId = Load.BotId,
                    BotName = "ProcurementBot",
                    FirstSeenAt = now,
                    UpdatedAt = now,
                }, default);
            }

            // Each person's purchases one after another in due order, so a claimed batch holds a few people's whole waves.
            var due = now.AddMinutes(-10);
            var purchases = Enumerable.Range(0, people * PurchasesPerPerson).Select(i => new
            {
                purchaseId = $"PO-W{i:D7}",
                requesterEmail = Email(i / PurchasesPerPerson),
                supplier = $"Supplier {i % 40}",
                category = Categories[i % PurchasesPerPerson],
                description = "Delivered item",
                deliveredAt = now.AddDays(-1),
                checkInAt = due.AddMilliseconds(i),
            });
            using var client = bot.CreateClient();
            foreach (var batch in purchases.Chunk(5000))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/purchases") { Content = JsonContent.Create(batch) };
                request.Headers.Add("X-Api-Key", BotUnderTest.IntakeKey);
                using var response = await client.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }

        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync();
    }

    private static async Task<string> DeliverAsync(string template, LimitedConnector connector, int instances, int factor, int total, string[] tuning)
    {
        var database = Path.Combine(Path.GetTempPath(), $"procurementbot-checkins-run-{Guid.NewGuid():N}.db");
        File.Copy(template, database);
        connector.Reset();
        Console.WriteLine($"delivering with {instances} instance(s)...");
        var workers = Enumerable.Range(0, instances).Select(i => StartWorker(database, factor, i, tuning)).ToList();
        try
        {
            // Until every check-in is delivered, or nothing more arrives for 60 s.
            var (last, lastProgress) = (-1, Stopwatch.StartNew());
            for (var tally = connector.Tally(); tally.Delivered < total && lastProgress.Elapsed < TimeSpan.FromSeconds(60); tally = connector.Tally())
            {
                if (tally.Delivered != last)
                {
                    (last, lastProgress) = (tally.Delivered, Stopwatch.StartNew());
                    Console.Write($"\r  {tally.Delivered} delivered, {tally.Accepted / Math.Max(1, tally.Seconds):F0} calls/s, {tally.Throttled} 429s   ");
                }

                await Task.Delay(500);
            }

            Console.WriteLine();
            var result = connector.Tally();
            var reports = new List<WorkerReport>();
            foreach (var worker in workers)
            {
                worker.StandardInput.Close();
                reports.Add(await ReadReportAsync(worker));
            }

            var latencies = reports.SelectMany(r => r.LatenciesMs).Order().ToArray();
            var rate = result.Accepted / result.Seconds;
            var calls = result.Accepted + result.Throttled;
            return string.Create(CultureInfo.InvariantCulture,
                $"| {instances} | {total} | {result.Seconds:F0} | {rate:F0} | {rate / connector.AppPerSecond:P1} | {result.Throttled} | {100.0 * result.Throttled / calls:F2} % | {result.Faults} | {total - result.Delivered} | {result.Duplicates} | {Percentile(latencies, 50):F0} | {Percentile(latencies, 99):F0} | {string.Join(", ", reports.Select(r => r.PeakWorkingSetMb.ToString("F0", CultureInfo.InvariantCulture)))} |");
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }

            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(database + suffix);
            }
        }
    }

    private static Process StartWorker(string database, int factor, int index, IEnumerable<string> tuning)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(CheckInScenario).Assembly.Location);
        }

        foreach (var arg in new[] { "checkins-worker", "--db", database, "--factor", factor.ToString(CultureInfo.InvariantCulture), "--index", index.ToString(CultureInfo.InvariantCulture) }.Concat(tuning))
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static async Task<WorkerReport> ReadReportAsync(Process worker)
    {
        WorkerReport? report = null;
        while (await worker.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(WorkerResult, StringComparison.Ordinal))
            {
                report = JsonSerializer.Deserialize<WorkerReport>(line[WorkerResult.Length..]);
            }
            else
            {
                Console.WriteLine($"  [worker {worker.Id}] {line}");
            }
        }

        await worker.WaitForExitAsync();
        return report ?? throw new InvalidOperationException($"A worker failed with exit code {worker.ExitCode}.");
    }

    /// <summary>One bot instance: the real bot with its background sender on, until its standard input closes.</summary>
    public static async Task<int> WorkerAsync(string[] args)
    {
        var factor = int.Parse(Value(args, "--factor")!, CultureInfo.InvariantCulture);
        var latencies = new ConcurrentQueue<double>();
        string? F(int limit) => (limit * factor).ToString(CultureInfo.InvariantCulture);
        KeyValuePair<string, string?>[] settings =
        [
            new("Storage:Sqlite:ConnectionString", $"Data Source={Value(args, "--db")}"),
            new("CheckIns:DispatcherEnabled", "true"),
            new("CheckIns:PollInterval", "00:00:00.250"),
            new("CheckIns:BatchSize", Value(args, "--batch") ?? "500"),
            new("CheckIns:SendConcurrency", Value(args, "--concurrency") ?? "64"),
            new("Pacing:Enabled", "true"),
            new("Pacing:AppPerSecond", F(50)),
            new("Pacing:ConversationPerSecond", F(7)),
            new("Pacing:ConversationPer2Seconds", F(8)),
            new("Pacing:ConversationPer30Seconds", F(60)),
            new("Pacing:ConversationPerHour", F(1800)),
            new("Pacing:HeartbeatInterval", "00:00:01"),
            new("Pacing:InstanceTimeout", "00:00:05"),
            new("Logging:LogLevel:ProcurementBot.BotFramework.Authentication", "Error"),
            // Stopped by hand below, so the host would call the background services' cancellation a failure.
            new("Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host", "None"),
        ];
        var bot = new BotUnderTest(settings, services =>
            // Outermost on the connector client: a call's whole time, pacing waits and retries included.
            services.Configure<HttpClientFactoryOptions>(BotFrameworkExtensions.ConnectorHttpClient, o =>
                o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Insert(0, new TimingHandler(latencies)))));
        _ = bot.Services; // starts the host: the dispatcher and the instance heartbeats run
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        // Stopped as the host would stop it (the factory's dispose tears the services down first): the instance leaves the count.
        foreach (var service in bot.Services.GetServices<IHostedService>().Reverse())
        {
            await service.StopAsync(default);
        }

        await bot.DisposeAsync();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(WorkerResult + JsonSerializer.Serialize(new WorkerReport([.. latencies], self.PeakWorkingSet64 / 1024.0 / 1024.0)));
        return 0;
    }

    private static string Email(int person) => $"person{person:D6}@contoso.com";

    private static string? Value(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];

    private sealed class TimingHandler(ConcurrentQueue<double> latencies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                latencies.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    private sealed record WorkerReport(double[] LatenciesMs, double PeakWorkingSetMb);
}
