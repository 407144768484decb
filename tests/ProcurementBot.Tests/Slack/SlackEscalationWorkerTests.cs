namespace ProcurementBot.Tests.Slack;

/// <summary>
/// The escalation worker with a Slack channel, on the fake clock: escalations waiting for "escalate here", SLA reminders in
/// the message's thread, the overdue mark. A bot of its own, since these tests register the default channel and move time.
/// </summary>
public sealed class SlackEscalationWorkerTests(SlackEscalationWorkerTests.App app) : IClassFixture<SlackEscalationWorkerTests.App>
{
    public sealed class App : SlackEscalationBotApp;

    [Fact]
    public async Task An_escalation_waits_until_an_admin_says_escalate_here_and_is_then_posted_there()
    {
        var requester = app.NewMember("Megan Bowen");
        var checkInId = await app.AnswerBadlyAsync(requester, $"cat-{Guid.NewGuid():N}"[..16]);
        await app.ProcessEscalationsAsync();
        Assert.True((await app.EscalationAsync(checkInId)).AwaitingChannel);
        var channel = SlackEscalationPayloads.NewChannelId();

        var reply = await app.SayAsync(app.Admin, channel, "escalate here");
        await app.ProcessEscalationsAsync();

        Assert.Equal("Done: Escalations will be posted in this channel. 1 waiting escalation will be posted here now.", reply);
        var registered = Assert.Single(await app.Store.GetEscalationDestinationsAsync(default), c => c.ConversationId == channel);
        Assert.Equal("", registered.Category);
        var posted = await app.EscalationAsync(checkInId);
        Assert.Equal((false, channel), (posted.AwaitingChannel, posted.Card?.ConversationId));
        Assert.Single(app.Slack.CallsOf("chat.postMessage"), c => c.Arg("channel") == channel && SlackEscalationBotApp.IsMessageOf(c, posted));
    }

    [Fact]
    public async Task Nobody_acknowledging_brings_a_reminder_in_the_thread_mentioning_the_buyer_then_the_overdue_mark()
    {
        var channel = SlackEscalationPayloads.NewChannelId();
        var category = $"cat-{Guid.NewGuid():N}"[..16];
        await app.SayAsync(app.Admin, channel, $"escalate here for {category}");
        var buyer = app.NewMember("Diego Siciliani");
        await app.MeetAsync(buyer);
        var checkInId = await app.AnswerBadlyAsync(app.NewMember("Megan Bowen"), category, buyer.Email);
        await app.ProcessEscalationsAsync();
        var escalation = await app.EscalationAsync(checkInId);

        app.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        await app.ProcessEscalationsAsync();

        var reminder = await app.WaitForCallAsync("chat.postMessage", c => c.Arg("channel") == channel && c.Arg("thread_ts") == escalation.Card!.ActivityId);
        Assert.StartsWith($"<@{buyer.Id}> Reminder: nobody has acknowledged this escalation in 4 hours.", reminder.Arg("text"), StringComparison.Ordinal);
        Assert.NotNull((await app.EscalationAsync(checkInId)).ReminderSentAt);

        app.Clock.Advance(TimeSpan.FromDays(3));
        await app.ProcessEscalationsAsync();

        var overdue = await app.WaitForCallAsync("chat.update", c => c.Arg("ts") == escalation.Card!.ActivityId);
        Assert.Contains("*Overdue since*", SlackEscalationFlowTests.Visible(overdue.Arguments["blocks"]!.AsArray()), StringComparison.Ordinal);
        Assert.NotNull((await app.EscalationAsync(checkInId)).OverdueSince);
    }
}
