using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using ProcurementBot.CheckIns;

namespace ProcurementBot.Benchmarks;

/// <summary>The real bot on Kestrel (loopback), on its own SQLite file; the background sender and pacing are off unless a scenario turns them on.</summary>
internal sealed class BotUnderTest(IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection> configureServices)
    : WebApplicationFactory<Program>
{
    public const string IntakeKey = "benchmark-intake-key-0123456789";

    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"procurementbot-bench-{Guid.NewGuid():N}.db");

    static BotUnderTest()
    {
        // The bot's files (appsettings, question sets) are copied next to this program; use them as content root.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PROCUREMENTBOT", AppContext.BaseDirectory);
    }

    public string Address => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        builder.UseSetting("BotFramework:AllowLocalModeOutsideDevelopment", "true");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("Storage:Sqlite:ConnectionString", $"Data Source={_databaseFile}");
        builder.UseSetting("Intake:ApiKeys:0", IntakeKey);
        builder.UseSetting("CheckIns:DispatcherEnabled", "false");
        builder.UseSetting("CheckIns:BatchSize", "500");
        // The answer-turn benchmark measures the bot's own cost per turn against an unlimited stand-in, far beyond
        // Teams' 50 calls/s; the check-in benchmark turns pacing on against a connector that enforces the limits.
        builder.UseSetting("Pacing:Enabled", "false");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(configureServices);
    }

    public async Task<int> DispatchAllDueAsync()
    {
        var dispatcher = Services.GetRequiredService<CheckInDispatcher>();
        var total = 0;
        for (int sent; (sent = await dispatcher.DispatchDueAsync(CancellationToken.None)) > 0;)
        {
            total += sent;
        }

        return total;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_databaseFile + suffix);
        }
    }
}
