using ProcurementBot.Storage.Sqlite;

namespace ProcurementBot.Tests.Crash;

/// <summary>The crash harness itself: a real bot process that is killed outright and comes back on its data.</summary>
public sealed class BotProcessTests
{
    [Fact]
    public async Task A_killed_bot_is_gone_at_once_and_restarts_on_the_same_data()
    {
        await using var bot = await BotProcess.StartAsync();
        (await bot.PostPurchasesAsync(new
        {
            purchaseId = "PO-CRASH-1",
            requesterEmail = "ada@contoso.com",
            supplier = "Contoso Lab",
            category = "lab",
            description = "Pipettes",
            deliveredAt = DateTimeOffset.UtcNow.AddDays(-3).ToString("O"),
        })).EnsureSuccessStatusCode();
        var pid = bot.ProcessId!.Value;

        bot.Kill();

        Assert.Null(bot.ProcessId);
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
        await Assert.ThrowsAsync<HttpRequestException>(() => bot.Client.GetAsync("healthz"));

        await bot.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, (await bot.Client.GetAsync("healthz")).StatusCode);
        var store = new SqliteStore($"Data Source={Path.Combine(bot.DataFolder, "bot.db")}");
        Assert.NotNull(await store.GetCheckInAsync("PO-CRASH-1", default));
        Assert.Contains("===== run 2 =====", bot.Output, StringComparison.Ordinal);
    }
}
