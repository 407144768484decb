using Microsoft.Data.Sqlite;
using ProcurementBot.CheckIns;
using ProcurementBot.Purchases;
using ProcurementBot.Slack;
using ProcurementBot.Storage.Sqlite;

namespace ProcurementBot.Tests.Storage;

/// <summary>
/// Retention on SQLite: with Storage:RetentionDays, closed check-ins older than the window go, open and recent ones stay;
/// done Slack items go a day after they were done.
/// </summary>
public sealed class SqliteRetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"procurementbot-retention-{Guid.NewGuid():N}.db");
    private SqliteStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(new SqliteConnectionStringBuilder { DataSource = _file }.ToString());
        await _store.InitializeAsync(default);
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Closed_check_ins_older_than_the_window_are_deleted_and_nothing_else()
    {
        await _store.AddCheckInsAsync(
        [
            CheckIn("completed-long-ago", CheckInStatus.Completed, completed: Now.AddDays(-40)),
            CheckIn("completed-recently", CheckInStatus.Completed, completed: Now.AddDays(-5)),
            CheckIn("stopped-long-ago", CheckInStatus.Stopped, completed: Now.AddDays(-31).AddTicks(1234567)),
            CheckIn("failed-long-ago", CheckInStatus.Failed, due: Now.AddDays(-60)),
            CheckIn("open-long-ago", CheckInStatus.InProgress, due: Now.AddDays(-60)),
            CheckIn("scheduled-long-ago", CheckInStatus.Scheduled, due: Now.AddDays(-60)),
        ], default);

        var deleted = await _store.DeleteClosedCheckInsAsync(Now.AddDays(-30), default);

        Assert.Equal(3, deleted);
        foreach (var (id, kept) in new[]
        {
            ("completed-long-ago", false), ("completed-recently", true), ("stopped-long-ago", false),
            ("failed-long-ago", false), ("open-long-ago", true), ("scheduled-long-ago", true),
        })
        {
            Assert.True(kept == (await _store.GetCheckInAsync(id, default) is not null), $"{id} should {(kept ? "" : "not ")}be kept");
        }
    }

    [Fact]
    public async Task Done_Slack_items_are_forgotten_a_day_after_they_were_done_and_open_ones_never()
    {
        string[] ids = ["event:old", "event:recent", "event:open"];
        SlackItem Item(string id) => new(id, SlackItemKind.Event, "U1", Array.IndexOf(ids, id), "{}", Now.AddDays(-3)) { NextAttemptAt = Now.AddDays(-3) };
        foreach (var id in ids)
        {
            await _store.TryAddSlackItemAsync(Item(id), default);
        }

        // Each lane's head is claimed in turn and marked done at its time; the open one stays leased.
        foreach (var (id, doneAt) in new[] { ("event:old", (DateTimeOffset?)Now - SlackItem.KeptDone - TimeSpan.FromMinutes(1)), ("event:recent", Now.AddHours(-23)), ("event:open", null) })
        {
            var claimed = Assert.Single(await _store.ClaimSlackItemsAsync(Now.AddDays(-2), "a", Now.AddDays(-2).AddMinutes(1), 1, default));
            Assert.Equal(id, claimed.Id);
            if (doneAt is { } at)
            {
                await _store.TryReplaceSlackItemAsync(claimed with { Done = true, DoneAt = at, LeaseOwner = null, LeaseUntil = null }, default);
            }
        }

        // The next claim forgets what was done more than a day ago: it could be stored again, the others not.
        Assert.Equal("event:open", Assert.Single(await _store.ClaimSlackItemsAsync(Now, "a", Now.AddMinutes(1), 10, default)).Id);
        Assert.True(await _store.TryAddSlackItemAsync(Item("event:old"), default));
        Assert.False(await _store.TryAddSlackItemAsync(Item("event:recent"), default));
        Assert.False(await _store.TryAddSlackItemAsync(Item("event:open"), default));
    }

    private static CheckIn CheckIn(string id, CheckInStatus status, DateTimeOffset? completed = null, DateTimeOffset? due = null) => new()
    {
        Id = id,
        Purchase = new Purchase
        {
            PurchaseId = id,
            RequesterEmail = "alice@contoso.com",
            Supplier = "Dell",
            Category = "laptops",
            Description = "Latitude 7450",
            DeliveredAt = Now.AddDays(-90),
        },
        RequesterKey = "alice@contoso.com",
        QuestionSetId = "it-hardware",
        QuestionSetVersion = 1,
        Status = status,
        DueAt = due ?? Now.AddDays(-90),
        CreatedAt = Now.AddDays(-90),
        CompletedAt = completed,
    };
}
