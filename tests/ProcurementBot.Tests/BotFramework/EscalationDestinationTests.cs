namespace ProcurementBot.Tests.BotFramework;

/// <summary>
/// Escalations before any channel is registered, and the SLA timers in a thread. Its own bot, since the
/// default channel (plain "escalate here") is one per bot and the clock moves.
/// </summary>
public sealed class EscalationDestinationTests(EscalationBotApp app) : IClassFixture<EscalationBotApp>
{
    [Fact]
    public async Task An_escalation_raised_before_any_channel_waits_the_admin_is_told_and_it_is_posted_after_registration()
    {
        await app.InstallAsync(app.Admin);
        var requester = await app.InstallAsync("Megan Bowen");
        var checkInId = await app.AnswerBadlyAsync(requester, "general");

        await app.ProcessEscalationsAsync();

        var waiting = await app.EscalationAsync(checkInId);
        Assert.True(waiting.AwaitingChannel);
        Assert.Null(waiting.Card);
        Assert.Contains("escalate here", app.CallsTo(app.Admin).Last(c => c.Method == "POST").Text, StringComparison.Ordinal);

        var team = TeamsChannel.New();
        var confirmed = await app.SayInChannelAsync(app.Admin, team, "escalate here");
        await app.ProcessEscalationsAsync();

        Assert.Contains("1 waiting escalation will be posted here now", confirmed, StringComparison.Ordinal);
        var posted = await app.EscalationAsync(checkInId);
        Assert.False(posted.AwaitingChannel);
        Assert.StartsWith($"{team.ChannelId};messageid=", posted.Card!.ConversationId, StringComparison.Ordinal);
        Assert.Equal(team.ChannelId, app.ThreadCreation(posted).Body!["channelData"]!["channel"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Nobody_acknowledging_brings_a_reminder_in_the_thread_mentioning_the_buyer_then_an_overdue_card()
    {
        var team = TeamsChannel.New();
        var category = $"cat-{Guid.NewGuid():N}"[..16];
        await app.SayInChannelAsync(app.Admin, team, $"escalate here for {category}");
        var buyer = await app.BuyerAsync(team, "Diego Siciliani");
        var checkInId = await app.AnswerBadlyAsync(await app.InstallAsync("Megan Bowen"), category, buyer.Email);
        await app.ProcessEscalationsAsync();
        var card = (await app.EscalationAsync(checkInId)).Card!;

        app.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        await app.ProcessEscalationsAsync();

        var reminder = Assert.Single(app.Connector.Calls, c => c.Method == "POST" && c.Path == $"/v3/conversations/{card.ConversationId}/activities");
        Assert.StartsWith($"<at>{buyer.Name}</at> Reminder", reminder.Text, StringComparison.Ordinal);
        var mention = reminder.Body!["entities"]![0]!;
        Assert.Equal("mention", mention["type"]!.GetValue<string>());
        Assert.Equal(buyer.UserId, mention["mentioned"]!["id"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromDays(3));
        await app.ProcessEscalationsAsync();

        var update = app.Connector.Calls.Last(c => c.Method == "PUT" && c.Path == $"/v3/conversations/{card.ConversationId}/activities/{card.ActivityId}");
        Assert.Contains("Overdue since", update.Card!.ToJsonString(), StringComparison.Ordinal);
        Assert.NotNull((await app.EscalationAsync(checkInId)).OverdueSince);
    }
}
