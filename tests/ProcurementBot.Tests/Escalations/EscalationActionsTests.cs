using ProcurementBot.Escalations;

namespace ProcurementBot.Tests.Escalations;

/// <summary>What buyers do on a posted card: who may, what changes, and what happens when they race or retry.</summary>
public sealed class EscalationActionsTests : EscalationHarness
{
    private static readonly string LongestNote = new('x', 1000);

    public static TheoryData<EscalationVerb[], EscalationVerb, string?, EscalationStatus, string> Applied => new()
    {
        // done before (by Bob) · what Carol does · note → status afterwards · history line
        { [], EscalationVerb.Acknowledge, null, EscalationStatus.Acknowledged, "acknowledged it" },
        { [], EscalationVerb.AssignToMe, null, EscalationStatus.Acknowledged, "took ownership" },
        { [EscalationVerb.AssignToMe], EscalationVerb.AssignToMe, null, EscalationStatus.Acknowledged, "took ownership" },
        { [], EscalationVerb.Resolve, "Replacement shipped.", EscalationStatus.Resolved, "resolved it" },
        { [EscalationVerb.Acknowledge], EscalationVerb.Resolve, LongestNote, EscalationStatus.Resolved, "resolved it" },
        { [EscalationVerb.Resolve], EscalationVerb.Reopen, null, EscalationStatus.Open, "reopened it" },
        { [EscalationVerb.Acknowledge, EscalationVerb.Resolve], EscalationVerb.Reopen, null, EscalationStatus.Acknowledged, "reopened it" },
    };

    [Theory]
    [MemberData(nameof(Applied))]
    public async Task An_action_changes_the_escalation_appends_history_bumps_the_revision_and_updates_the_card(
        EscalationVerb[] before, EscalationVerb verb, string? note, EscalationStatus status, string what)
    {
        var escalation = await PostedAsync();
        foreach (var earlier in before)
        {
            Assert.Equal(ActOutcome.Applied, (await ActAsync(escalation.Id, earlier, Bob, "Done earlier.")).Outcome);
        }

        Clock.Advance(TimeSpan.FromMinutes(7));

        var result = await ActAsync(escalation.Id, verb, Carol, note);

        Assert.Equal(ActOutcome.Applied, result.Outcome);
        var stored = (await Store.GetEscalationAsync(escalation.Id, default))!;
        Assert.Equal((status, before.Length + 1, before.Length + 1), (stored.Status, stored.Revision, stored.History.Count));
        Assert.Equal(new EscalationEvent(Clock.GetUtcNow(), "Carol Buyer", what), stored.History[^1]);
        Assert.Equal((stored.Revision, stored.Status), (result.Escalation!.Revision, result.Escalation.Status));
        var update = Channel.Updates[^1];
        Assert.Equal((escalation.Id, stored.Revision, stored.Status), (update.Id, update.Revision, update.Status));
        Assert.Equal(before.Length + 1, Channel.Updates.Count);
    }

    [Fact]
    public async Task Acknowledging_and_taking_ownership_record_who_and_when()
    {
        var escalation = await PostedAsync();
        Clock.Advance(TimeSpan.FromMinutes(5));
        await ActAsync(escalation.Id, EscalationVerb.Acknowledge, Bob);
        Clock.Advance(TimeSpan.FromMinutes(5));

        await ActAsync(escalation.Id, EscalationVerb.AssignToMe, Carol);

        var stored = (await Store.GetEscalationAsync(escalation.Id, default))!;
        Assert.Equal(("Bob Buyer", (DateTimeOffset?)T0.AddMinutes(5), Carol), (stored.AcknowledgedBy, stored.AcknowledgedAt, stored.Owner));
    }

    [Fact]
    public async Task Resolving_tells_the_requester_the_note_and_reopening_keeps_the_history()
    {
        var escalation = await PostedAsync();
        Clock.Advance(TimeSpan.FromHours(1));

        await ActAsync(escalation.Id, EscalationVerb.Resolve, Bob, "  Dell is sending a replacement on Monday.  ");

        var resolved = (await Store.GetEscalationAsync(escalation.Id, default))!;
        Assert.Equal(("Bob Buyer", (DateTimeOffset?)T0.AddHours(1), "Dell is sending a replacement on Monday."), (resolved.ResolvedBy, resolved.ResolvedAt, resolved.ResolutionNote));
        var (to, text) = Assert.Single(Gateway.Sent);
        Assert.Equal(Requester.PersonId, to);
        Assert.Contains("\"Dell is sending a replacement on Monday.\"", text, StringComparison.Ordinal);
        Assert.Contains("PO-1", text, StringComparison.Ordinal);

        await ActAsync(escalation.Id, EscalationVerb.Reopen, Carol);

        var reopened = (await Store.GetEscalationAsync(escalation.Id, default))!;
        Assert.Equal((EscalationStatus.Open, (DateTimeOffset?)null, (string?)null), (reopened.Status, reopened.ResolvedAt, reopened.ResolvedBy));
        Assert.Equal(["resolved it", "reopened it"], reopened.History.Select(h => h.What));
        Assert.Single(Gateway.Sent);
    }

    public static TheoryData<EscalationVerb[], EscalationVerb, string?, string> Refused => new()
    {
        // done before (by Bob) · what Carol tries · note → what she is told
        { [], EscalationVerb.Reopen, null, "Only a resolved escalation can be reopened" },
        { [EscalationVerb.Acknowledge], EscalationVerb.Reopen, null, "Only a resolved escalation can be reopened" },
        { [], EscalationVerb.Resolve, null, "add a short note" },
        { [], EscalationVerb.Resolve, "   ", "add a short note" },
        { [], EscalationVerb.Resolve, LongestNote + "x", "too long" },
        { [EscalationVerb.Acknowledge], EscalationVerb.Acknowledge, null, "Bob Buyer already acknowledged it" },
        { [EscalationVerb.Resolve], EscalationVerb.Acknowledge, null, "reopen it first" },
        { [EscalationVerb.Resolve], EscalationVerb.AssignToMe, null, "reopen it first" },
        { [EscalationVerb.Resolve], EscalationVerb.Resolve, "Again.", "reopen it first" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task An_action_that_does_not_fit_the_state_is_refused_and_changes_nothing(EscalationVerb[] before, EscalationVerb verb, string? note, string says)
    {
        var escalation = await PostedAsync();
        foreach (var earlier in before)
        {
            await ActAsync(escalation.Id, earlier, Bob, "Done earlier.");
        }

        var read = (await Store.GetEscalationAsync(escalation.Id, default))!;
        var (updates, sent) = (Channel.Updates.Count, Gateway.Sent.Count);

        var result = await ActAsync(escalation.Id, verb, Carol, note);

        Assert.Equal(ActOutcome.Invalid, result.Outcome);
        Assert.Contains(says, result.Message, StringComparison.Ordinal);
        Assert.Equal(read.ETag, (await Store.GetEscalationAsync(escalation.Id, default))!.ETag);
        Assert.Equal((updates, sent), (Channel.Updates.Count, Gateway.Sent.Count));
    }

    [Fact]
    public async Task Of_two_buyers_acting_on_the_same_revision_at_once_one_wins_and_the_other_sees_the_current_state()
    {
        var other = NewService(Connect());
        for (var round = 1; round <= 5; round++)
        {
            var escalation = await PostedAsync($"PO-{round}");

            var results = await AllAtOnce.RunAsync(
                () => Service.ActAsync(new(escalation.Id, EscalationVerb.AssignToMe, Bob, NewActionKey(), escalation.Revision), default),
                () => other.ActAsync(new(escalation.Id, EscalationVerb.Resolve, Carol, NewActionKey(), escalation.Revision, "Handled by phone."), default));

            Assert.Equal([ActOutcome.Applied, ActOutcome.Stale], results.Select(r => r.Outcome).Order());
            var stored = (await Store.GetEscalationAsync(escalation.Id, default))!;
            Assert.Equal((1, 1), (stored.Revision, stored.History.Count));
            var stale = Assert.Single(results, r => r.Outcome == ActOutcome.Stale);
            Assert.Equal((stored.Revision, stored.Status, stored.ETag), (stale.Escalation!.Revision, stale.Escalation.Status, stale.Escalation.ETag));
            Assert.Contains(stored.History[0].Actor, stale.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_retried_click_is_applied_once_even_when_the_retries_arrive_together()
    {
        var escalation = await PostedAsync();
        var key = NewActionKey();
        var click = new EscalationCommand(escalation.Id, EscalationVerb.Resolve, Bob, key, escalation.Revision, "Refunded.");

        var first = await AllAtOnce.RunAsync(
            () => Service.ActAsync(click, default),
            () => NewService(Connect()).ActAsync(click, default),
            () => NewService(Connect()).ActAsync(click, default));
        var later = await Service.ActAsync(click, default);

        Assert.Equal([ActOutcome.Applied, ActOutcome.AlreadyApplied, ActOutcome.AlreadyApplied], first.Select(r => r.Outcome).Order());
        Assert.Equal(ActOutcome.AlreadyApplied, later.Outcome);
        var stored = (await Store.GetEscalationAsync(escalation.Id, default))!;
        Assert.Equal((1, 1, EscalationStatus.Resolved), (stored.Revision, stored.History.Count, stored.Status));
        Assert.Equal(stored.ETag, later.Escalation!.ETag);
        Assert.Single(Gateway.Sent);
        Assert.Single(Channel.Updates);
    }

    [Theory]
    [InlineData(EscalationVerb.Acknowledge)]
    [InlineData(EscalationVerb.AssignToMe)]
    [InlineData(EscalationVerb.Resolve)]
    public async Task Someone_outside_the_procurement_team_may_not_act_and_nothing_changes(EscalationVerb verb)
    {
        var escalation = await PostedAsync();

        var result = await ActAsync(escalation.Id, verb, Mallory, "I fixed it.");

        Assert.Equal(ActOutcome.NotAllowed, result.Outcome);
        Assert.Equal(escalation.ETag, (await Store.GetEscalationAsync(escalation.Id, default))!.ETag);
        Assert.Empty(Channel.Updates);
        Assert.Empty(Gateway.Sent);
    }

    [Fact]
    public async Task An_admin_outside_the_team_may_act_anywhere()
    {
        var escalation = await PostedAsync();
        Assert.DoesNotContain(Admin.PersonId, Channel.Members);

        var result = await ActAsync(escalation.Id, EscalationVerb.AssignToMe, Admin);

        Assert.Equal(ActOutcome.Applied, result.Outcome);
        Assert.Equal(Admin, (await Store.GetEscalationAsync(escalation.Id, default))!.Owner);
    }

    [Fact]
    public async Task An_action_stands_when_the_card_cannot_be_updated_and_the_requester_still_hears_back()
    {
        var escalation = await PostedAsync();
        Channel.Down = true;

        var result = await ActAsync(escalation.Id, EscalationVerb.Resolve, Bob, "Refunded.");

        Assert.Equal((ActOutcome.Applied, EscalationStatus.Resolved), (result.Outcome, result.Escalation!.Status));
        Assert.Equal(EscalationStatus.Resolved, (await Store.GetEscalationAsync(escalation.Id, default))!.Status);
        Assert.Single(Gateway.Sent);
    }

    [Fact]
    public async Task An_unknown_escalation_is_not_found()
    {
        Assert.Equal(ActOutcome.NotFound, (await ActAsync("checkin:PO-404", EscalationVerb.Acknowledge, Bob, revision: 0)).Outcome);
    }

    // Registration

    [Fact]
    public async Task Only_an_admin_registers_an_escalation_channel()
    {
        Assert.False((await RegisterAsync(by: Mallory)).Registered);
        Assert.False((await RegisterAsync(by: Bob)).Registered);
        Assert.Empty(await Store.GetEscalationDestinationsAsync(default));

        var result = await RegisterAsync("19:procurement@thread.tacv2", by: Admin with { PersonId = "msteams:29:other-device" });

        Assert.True(result.Registered);
        Assert.Equal("19:procurement@thread.tacv2", Assert.Single(await Connect().GetEscalationDestinationsAsync(default)).ConversationId);
    }

    public static TheoryData<string, string> Routes => new()
    {
        // purchase category → the conversation its card is posted to
        { "laptops", "19:laptops@thread.tacv2" },
        { "Laptops ", "19:laptops@thread.tacv2" },
        { "furniture", "19:procurement@thread.tacv2" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_category_channel_wins_for_its_category_and_the_default_takes_the_rest(string category, string conversationId)
    {
        await RegisterAsync("19:procurement@thread.tacv2");
        await RegisterAsync("19:laptops@thread.tacv2", "laptops");
        var checkIn = Answered("PO-1", ("overall", "1"));

        await RaiseAsync(checkIn with { Purchase = checkIn.Purchase with { Category = category } });
        await Worker.ProcessDueAsync(default);

        Assert.Equal(conversationId, Assert.Single(Channel.Posts).ConversationId);
    }
}
