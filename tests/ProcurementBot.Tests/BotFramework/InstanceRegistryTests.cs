using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProcurementBot.BotFramework.Pacing;
using ProcurementBot.Storage.Sqlite;

namespace ProcurementBot.Tests.BotFramework;

/// <summary>Instances sharing one store split the app limit, and take over the share of one that stops or dies.</summary>
public sealed class InstanceRegistryTests : IAsyncLifetime
{
    private static readonly PacingOptions Options = new() { HeartbeatInterval = TimeSpan.FromSeconds(5), InstanceTimeout = TimeSpan.FromSeconds(20) };
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"procurementbot-instances-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly List<(ConnectorPacer Pacer, InstanceRegistry Registry)> _instances = [];
    private SqliteStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteStore($"Data Source={_file}");
        await _store.InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        foreach (var (pacer, registry) in _instances)
        {
            await registry.StopAsync(default);
            registry.Dispose();
            pacer.Dispose();
        }

        _store.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }
    }

    [Fact]
    public async Task Two_instances_send_half_the_app_limit_each_and_one_gets_it_all_back_when_the_other_stops()
    {
        var a = await StartAsync();
        await EventuallyAsync(() => a.AppShare == 50);

        var b = await StartAsync();
        await EventuallyAsync(() => b.AppShare == 25);
        await NextRoundAsync();
        await EventuallyAsync(() => a.AppShare == 25);

        await _instances[1].Registry.StopAsync(default);
        await NextRoundAsync();
        await EventuallyAsync(() => a.AppShare == 50);
    }

    [Fact]
    public async Task An_instance_that_dies_drops_out_when_its_heartbeat_expires()
    {
        var a = await StartAsync();
        await _store.HeartbeatAsync("vm/999/dead", _clock.GetUtcNow() + Options.InstanceTimeout, default);

        await NextRoundAsync();
        await EventuallyAsync(() => a.AppShare == 25);
        for (var round = 0; round < 2; round++)
        {
            await NextRoundAsync(); // 15 s on: the dead instance's heartbeat still lasts
        }

        Assert.Equal(25, a.AppShare);
        await NextRoundAsync(); // 20 s on: it has expired
        await EventuallyAsync(() => a.AppShare == 50);
    }

    private async Task<ConnectorPacer> StartAsync()
    {
        var pacer = new ConnectorPacer(_clock, Microsoft.Extensions.Options.Options.Create(Options));
        var registry = new InstanceRegistry(_store, pacer, Microsoft.Extensions.Options.Options.Create(Options), _clock, NullLogger<InstanceRegistry>.Instance);
        _instances.Add((pacer, registry));
        var before = (await _store.GetLiveInstancesAsync(_clock.GetUtcNow(), default)).Count;
        await registry.StartAsync(default);
        await EventuallyAsync(async () => (await _store.GetLiveInstancesAsync(_clock.GetUtcNow(), default)).Count > before);
        return pacer;
    }

    /// <summary>Moves the clock on one heartbeat interval, so every running instance does its next round.</summary>
    private async Task NextRoundAsync()
    {
        _clock.Advance(Options.HeartbeatInterval);
        await Task.Delay(200);
    }

    private static Task EventuallyAsync(Func<bool> condition) => EventuallyAsync(() => Task.FromResult(condition()));

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 10 s.");
            await Task.Delay(20);
        }
    }
}
