using Microsoft.Data.Sqlite;
using ProcurementBot.CheckIns;
using ProcurementBot.Purchases;
using ProcurementBot.Storage.Sqlite;

namespace ProcurementBot.Tests.Storage;

/// <summary>Storage:RetentionDays on SQLite: closed check-ins older than the window go; open ones and recent ones stay.</summary>
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

    private static CheckIn CheckIn(string id, CheckInStatus status, DateTimeOffset? completed = null, DateTimeOffset? due = null) => new()
    {
        Id = id,
        Purchase = new Purchase
        {
            PurchaseId = id, RequesterEmail = "alice@contoso.com", Supplier = "Dell", Category = "laptops",
            Description = "Latitude 7450", DeliveredAt = Now.AddDays(-90),
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
