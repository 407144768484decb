using ProcurementBot.Escalations;

namespace ProcurementBot.Tests.Escalations;

/// <summary>The worker against the fake clock: posting, waiting for a channel, SLA reminders and overdue marks, leases.</summary>
public sealed class EscalationWorkerTests : EscalationHarness
{
    private static readonly string Id = Escalation.IdForCheckIn("PO-1");

    [Fact]
    public async Task Without_a_channel_an_escalation_waits_and_the_admins_are_told_once()
    {
        await RaiseAsync(Answered("PO-1", ("overall", "1")));

        for (var poll = 0; poll < 5; poll++)
        {
            await Worker.ProcessDueAsync(default);
            Clock.Advance(Settings.PollInterval);
        }

        var waiting = (await Store.GetEscalationAsync(Id, default))!;
        Assert.Equal((true, (DateTimeOffset?)null, (PostedCard?)null, (DateTimeOffset?)T0), (waiting.AwaitingChannel, waiting.NextActionAt, waiting.Card, waiting.AdminsToldAt));
        Assert.Empty(Channel.Posts);
        var (to, text) = Assert.Single(Gateway.Sent);
        Assert.Equal(Admin.PersonId, to);
        Assert.Contains("escalate here", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_waiting_escalations_tell_the_admins_once_a_day_not_once_each()
    {
        foreach (var id in new[] { "PO-1", "PO-2", "PO-3" })
        {
            await RaiseAsync(Answered(id, ("overall", "1")));
            await Worker.ProcessDueAsync(default);
            Clock.Advance(TimeSpan.FromHours(2));
        }

        Assert.Single(Gateway.Sent);

        Clock.Advance(TimeSpan.FromDays(1));
        await RaiseAsync(Answered("PO-4", ("overall", "1")));
        await Worker.ProcessDueAsync(default);

        Assert.Equal(2, Gateway.Sent.Count);
        // Four check-in escalations and the supplier trend the first three made, all waiting.
        Assert.Equal(5, (await Store.GetEscalationsAwaitingChannelAsync(default)).Count);
    }

    [Fact]
    public async Task Registering_a_channel_releases_waiting_escalations_and_the_next_run_posts_them()
    {
        await RaiseAsync(Answered("PO-1", ("overall", "1")));
        await Worker.ProcessDueAsync(default);
        Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(new RegistrationResult(true, 0), await RegisterAsync("19:furniture@thread.tacv2", "furniture"));
        Assert.Equal(new RegistrationResult(true, 1), await RegisterAsync("19:procurement@thread.tacv2"));
        Assert.Empty(Channel.Posts);

        Assert.Equal(1, await Worker.ProcessDueAsync(default));

        Assert.Equal([(Id, "19:procurement@thread.tacv2")], Channel.Posts);
        var posted = (await Store.GetEscalationAsync(Id, default))!;
        Assert.False(posted.AwaitingChannel);
        Assert.Equal("19:procurement@thread.tacv2;messageid=1", posted.Card?.ConversationId);
        Assert.Equal(T0 + Settings.AcknowledgeWithin, posted.NextActionAt);
        Assert.Null(posted.LeaseUntil);
        Assert.Empty(await Store.GetEscalationsAwaitingChannelAsync(default));
    }

    [Fact]
    public async Task A_channel_registered_while_the_worker_tells_the_admins_still_gets_the_escalation()
    {
        await RaiseAsync(Answered("PO-1", ("overall", "1")));
        Gateway.Meanwhile = async () =>
        {
            Gateway.Meanwhile = null;
            await NewService(Connect()).RegisterChannelAsync(Admin, ChannelAt("19:procurement@thread.tacv2"), default);
        };

        await Worker.ProcessDueAsync(default);
        Clock.Advance(Settings.PollInterval);
        await Worker.ProcessDueAsync(default);

        Assert.Equal([(Id, "19:procurement@thread.tacv2")], Channel.Posts);
        Assert.False((await Store.GetEscalationAsync(Id, default))!.AwaitingChannel);
    }

    [Fact]
    public async Task An_unacknowledged_escalation_gets_one_reminder_in_its_thread_when_the_time_is_up()
    {
        await PostedAsync();

        Clock.SetUtcNow(T0 + Settings.AcknowledgeWithin - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await Worker.ProcessDueAsync(default));
        Assert.Empty(Channel.Replies);

        Clock.SetUtcNow(T0 + Settings.AcknowledgeWithin);
        Assert.Equal(1, await Worker.ProcessDueAsync(default));
        Clock.Advance(TimeSpan.FromHours(1));
        await Worker.ProcessDueAsync(default);

        var (id, text, mention) = Assert.Single(Channel.Replies);
        Assert.Equal((Id, Bob.PersonId), (id, mention));
        Assert.Contains("nobody has acknowledged this escalation in 4 hours", text, StringComparison.Ordinal);
        var reminded = (await Store.GetEscalationAsync(Id, default))!;
        Assert.Equal(((DateTimeOffset?)(T0 + Settings.AcknowledgeWithin), (DateTimeOffset?)(T0 + Settings.ResolveWithin)), (reminded.ReminderSentAt, reminded.NextActionAt));
    }

    [Fact]
    public async Task An_escalation_acknowledged_in_time_gets_no_reminder()
    {
        await PostedAsync();
        Clock.Advance(Settings.AcknowledgeWithin - TimeSpan.FromMinutes(1));
        await ActAsync(Id, EscalationVerb.Acknowledge, Bob);

        Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await Worker.ProcessDueAsync(default));

        Assert.Empty(Channel.Replies);
        Assert.Equal(T0 + Settings.ResolveWithin, (await Store.GetEscalationAsync(Id, default))!.NextActionAt);
    }

    [Fact]
    public async Task An_escalation_not_resolved_in_time_is_marked_overdue_on_its_card_once()
    {
        await PostedAsync();
        await ActAsync(Id, EscalationVerb.AssignToMe, Bob);
        var updates = Channel.Updates.Count;

        Clock.SetUtcNow(T0 + Settings.ResolveWithin - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await Worker.ProcessDueAsync(default));
        Clock.SetUtcNow(T0 + Settings.ResolveWithin);
        Assert.Equal(1, await Worker.ProcessDueAsync(default));
        Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, await Worker.ProcessDueAsync(default));

        var overdue = (await Store.GetEscalationAsync(Id, default))!;
        Assert.Equal(((DateTimeOffset?)(T0 + Settings.ResolveWithin), (DateTimeOffset?)null), (overdue.OverdueSince, overdue.NextActionAt));
        var update = Assert.Single(Channel.Updates.Skip(updates));
        Assert.Equal(T0 + Settings.ResolveWithin, update.OverdueSince);
        Assert.Empty(Channel.Replies);
    }

    [Fact]
    public async Task A_resolved_escalation_needs_no_more_work()
    {
        await PostedAsync();
        Clock.Advance(TimeSpan.FromHours(1));
        await ActAsync(Id, EscalationVerb.Resolve, Bob, "Sorted.");
        var updates = Channel.Updates.Count;

        Assert.Null((await Store.GetEscalationAsync(Id, default))!.NextActionAt);
        Clock.Advance(Settings.ResolveWithin * 2);
        Assert.Equal(0, await Worker.ProcessDueAsync(default));

        Assert.Empty(Channel.Replies);
        Assert.Equal(updates, Channel.Updates.Count);
        Assert.Null((await Store.GetEscalationAsync(Id, default))!.OverdueSince);
    }

    [Fact]
    public async Task Two_worker_instances_never_post_the_same_escalation()
    {
        await RegisterAsync();
        var ids = Enumerable.Range(1, 24).Select(i => $"PO-{i:00}").ToList();
        foreach (var id in ids)
        {
            await RaiseAsync(Answered(id, ("onTime", "no")));
        }

        Settings.BatchSize = 5;
        var workers = new[] { Worker, NewWorker(), NewWorker() };
        var handled = await AllAtOnce.RunAsync([.. workers.Select(w => (Func<Task<int>>)(async () =>
        {
            var total = 0;
            for (int count; (count = await w.ProcessDueAsync(default)) > 0;)
            {
                total += count;
            }

            return total;
        }))]);

        Assert.Equal(ids.Count, handled.Sum());
        Assert.Equal(ids.Select(Escalation.IdForCheckIn), Channel.Posts.Select(p => p.Id).Order());
    }

    [Fact]
    public async Task A_crashed_workers_lease_is_picked_up_once_it_expires()
    {
        await RegisterAsync();
        await RaiseAsync(Answered("PO-1", ("overall", "1")));
        Assert.Single(await Connect().ClaimEscalationWorkAsync(T0, "crashed-instance", T0 + Settings.LeaseDuration, 10, default));

        Clock.SetUtcNow(T0 + Settings.LeaseDuration - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await Worker.ProcessDueAsync(default));
        Assert.Empty(Channel.Posts);

        Clock.SetUtcNow(T0 + Settings.LeaseDuration);
        Assert.Equal(1, await Worker.ProcessDueAsync(default));

        Assert.Equal([Id], Channel.Posts.Select(p => p.Id));
        Assert.Equal((null, null), ((await Store.GetEscalationAsync(Id, default))!.LeaseOwner, (await Store.GetEscalationAsync(Id, default))!.LeaseUntil));
    }

    [Fact]
    public async Task When_the_channel_fails_the_escalation_is_tried_again_a_minute_later()
    {
        await RegisterAsync();
        await RaiseAsync(Answered("PO-1", ("overall", "1")));
        Channel.Down = true;

        Assert.Equal(1, await Worker.ProcessDueAsync(default));
        var failed = (await Store.GetEscalationAsync(Id, default))!;
        Assert.Equal(((DateTimeOffset?)T0.AddMinutes(1), (DateTimeOffset?)null, (PostedCard?)null), (failed.NextActionAt, failed.LeaseUntil, failed.Card));

        Channel.Down = false;
        Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await Worker.ProcessDueAsync(default));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Worker.ProcessDueAsync(default));

        Assert.Equal([Id], Channel.Posts.Select(p => p.Id));
    }

    [Fact]
    public async Task A_failed_reminder_is_tried_again_and_sent_once()
    {
        await PostedAsync();
        Clock.SetUtcNow(T0 + Settings.AcknowledgeWithin);
        Channel.Down = true;
        await Worker.ProcessDueAsync(default);
        Assert.Empty(Channel.Replies);

        Channel.Down = false;
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Worker.ProcessDueAsync(default);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Worker.ProcessDueAsync(default);

        Assert.Single(Channel.Replies);
    }
}
