namespace ProcurementBot.Tests.BotFramework;

/// <summary>The bot with pacing on, on the test's clock.</summary>
public sealed class PacedBotApp : BotApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Pacing:Enabled", "true"), new("Pacing:Margin", "00:00:00")];
}

public sealed class PacedBotTests(PacedBotApp app) : IClassFixture<PacedBotApp>
{
    [Fact]
    public async Task Check_ins_to_one_person_beyond_the_conversation_limit_wait_for_the_clock()
    {
        // Installing costs two calls in the person's chat: the member lookup and the welcome.
        var user = await app.InstallAsync();
        Assert.Equal(2, app.CallsTo(user).Count);
        for (var i = 0; i < 9; i++)
        {
            (await app.PostPurchasesAsync(BotApp.Purchase(user.Email))).EnsureSuccessStatusCode();
        }

        var dispatch = app.DispatchAsync();

        // 7 calls per second: five cards now; 8 per two seconds: one more after a second; the last three after two.
        Assert.Equal(7, (await app.Connector.WaitForCallsAsync(7)).Count(c => c.Path.Contains(user.ConversationId, StringComparison.Ordinal)));
        await Task.Delay(300);
        Assert.Equal(7, app.CallsTo(user).Count);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await app.Connector.WaitForCallsAsync(8);
        await Task.Delay(300);
        Assert.Equal(8, app.CallsTo(user).Count);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(9, await dispatch.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(11, app.CallsTo(user).Count);
        Assert.Equal(9, app.CallsTo(user).Count(c => c.Card is not null));
    }
}
