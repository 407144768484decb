using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.CheckIns;

/// <summary>The bot with its background sender running on the test's clock.</summary>
public sealed class SendingBotApp : BotApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("CheckIns:DispatcherEnabled", "true"),
        new("CheckIns:PollInterval", "00:01:00"),
    ];
}

public sealed class BackgroundSenderTests(SendingBotApp app) : IClassFixture<SendingBotApp>
{
    [Fact]
    public async Task The_background_sender_sends_a_check_in_when_it_falls_due_and_not_before()
    {
        var user = await app.InstallAsync();
        var dueAt = app.Clock.GetUtcNow().AddMinutes(30);
        var purchase = new
        {
            purchaseId = "PO-BG-1",
            requesterEmail = user.Email,
            supplier = "Lenovo",
            category = "monitors",
            description = "27-inch monitor",
            deliveredAt = app.Clock.GetUtcNow().AddDays(-1).ToString("O"),
            checkInAt = dueAt.ToString("O"),
        };
        (await app.PostPurchasesAsync(purchase)).EnsureSuccessStatusCode();

        // Several polls go by before it is due: nothing is sent.
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(100);
        }

        Assert.DoesNotContain(app.CallsTo(user), c => c.Card is not null);
        Assert.Equal(CheckInStatus.Scheduled, (await app.Store.GetCheckInAsync("PO-BG-1", default))!.Status);

        // Once due, the next poll sends it. The clock then stands still, so the sender's lease cannot run out
        // while it works, however slow the machine.
        app.Clock.Advance(TimeSpan.FromMinutes(28));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!app.CallsTo(user).Any(c => c.Card is not null) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var card = Assert.Single(app.CallsTo(user), c => c.Card is not null);
        Assert.Contains("27-inch monitor", card.Visible, StringComparison.Ordinal);

        // The sender records the sent state right after the connector answers.
        while ((await app.Store.GetCheckInAsync("PO-BG-1", default))!.Status != CheckInStatus.InProgress && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(CheckInStatus.InProgress, (await app.Store.GetCheckInAsync("PO-BG-1", default))!.Status);
    }
}
