using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Tenants;

/// <summary>
/// Signed Slack requests from a team the bot does not serve (not in <c>Slack:AllowedTeams</c>): acknowledged with 200, so
/// Slack stops retrying, and they change nothing — no person stored, no channel registered, no escalation touched, no
/// reply. And a Slack person of another team in the store is never a purchase's requester.
/// </summary>
public sealed class SecondSlackTeamTests(SlackEscalationBotApp app) : IClassFixture<SlackEscalationBotApp>
{
    /// <summary>Another workspace that installed the same Slack app.</summary>
    private const string ForeignTeam = "T0OTHERORG";

    [Fact]
    public async Task A_direct_message_from_another_team_is_acknowledged_and_changes_nothing()
    {
        var member = app.NewMember("Mallory Cortez");
        var envelope = InTeam(SlackPayloads.DirectMessage(member, "status"), ForeignTeam);

        var response = await app.PostEventAsync(envelope);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await app.WaitForSlackIdleAsync());
        Assert.Null(await app.Store.GetPersonAsync(Person.MakeId("slack", member.Id), default));
        Assert.DoesNotContain(app.Slack.Calls, c => c.Arg("channel") == SlackPayloads.DirectMessageOf(member) || c.Arg("user") == member.Id);
    }

    [Fact]
    public async Task The_admins_user_id_in_another_team_cannot_register_an_escalation_channel()
    {
        var channel = SlackEscalationPayloads.NewChannelId();
        var mention = InTeam(SlackEscalationPayloads.AppMention(app.Admin.Id, channel, "escalate here"), ForeignTeam);

        var response = await app.PostEventAsync(mention);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await app.WaitForSlackIdleAsync());
        Assert.DoesNotContain(await app.Store.GetEscalationDestinationsAsync(default), c => c.ConversationId == channel);
        Assert.DoesNotContain(app.Slack.Calls, c => c.Arg("channel") == channel);
    }

    [Fact]
    public async Task The_real_admin_registers_a_channel_of_the_served_team()
    {
        var channel = SlackEscalationPayloads.NewChannelId();

        var answer = await app.SayAsync(app.Admin, channel, $"escalate here for cat-{Guid.NewGuid():N}"[..40]);

        Assert.StartsWith("Done:", answer, StringComparison.Ordinal);
        var registered = Assert.Single(await app.Store.GetEscalationDestinationsAsync(default), c => c.ConversationId == channel);
        Assert.Equal(SlackApiStandIn.TeamId, registered.TeamId);
    }

    [Theory]
    [InlineData(SlackEscalationBlocks.AcknowledgeAction)]
    [InlineData(SlackEscalationBlocks.AssignAction)]
    [InlineData(SlackEscalationBlocks.ResolveAction)]
    public async Task A_click_from_another_team_on_an_escalation_of_the_served_team_changes_nothing(string actionId)
    {
        var escalation = await EscalationAsync();
        var callsBefore = app.Slack.Calls.Count;
        var payload = app.Click(app.Admin, escalation, actionId);
        payload["team"]!["id"] = ForeignTeam;
        payload["user"]!["team_id"] = ForeignTeam;

        var response = await app.PostInteractionAsync(payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await app.WaitForSlackIdleAsync());
        var after = (await app.Store.GetEscalationAsync(escalation.Id, default))!;
        Assert.Equal((escalation.Revision, escalation.Status, escalation.Owner), (after.Revision, after.Status, after.Owner));
        Assert.Equal(callsBefore, app.Slack.Calls.Count);
    }

    [Fact]
    public async Task A_click_by_a_guest_of_another_team_in_the_served_workspace_changes_nothing()
    {
        // Slack Connect: the workspace is ours, the user belongs to another organisation.
        var escalation = await EscalationAsync();
        var callsBefore = app.Slack.Calls.Count;
        var payload = app.Click(app.Admin, escalation, SlackEscalationBlocks.AcknowledgeAction);
        payload["user"]!["team_id"] = ForeignTeam;

        var response = await app.PostInteractionAsync(payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await app.WaitForSlackIdleAsync());
        Assert.Equal(escalation.Revision, (await app.Store.GetEscalationAsync(escalation.Id, default))!.Revision);
        Assert.Equal(callsBefore, app.Slack.Calls.Count);
    }

    [Fact]
    public async Task A_Slack_person_of_another_team_in_the_store_is_never_a_purchases_requester()
    {
        var victimEmail = $"victim.{Guid.NewGuid():N}@contoso.com";
        var impostor = SlackEscalationPayloads.NewMember("Mallory Cortez") with { Email = victimEmail };
        var now = app.Clock.GetUtcNow();
        await app.Store.UpsertPersonAsync(new Person
        {
            Id = Person.MakeId("slack", impostor.Id),
            Channel = "slack",
            UserId = impostor.Id,
            Name = impostor.RealName,
            Email = victimEmail,
            TenantId = ForeignTeam,
            ConversationId = SlackPayloads.DirectMessageOf(impostor),
            FirstSeenAt = now,
            UpdatedAt = now,
        }, default);

        var purchaseId = $"PO-{Guid.NewGuid():N}"[..16];
        (await app.PostPurchasesAsync(BotApp.Purchase(victimEmail, purchaseId))).EnsureSuccessStatusCode();
        await app.DispatchSlackAsync();

        Assert.Equal(CheckInStatus.AwaitingContact, (await app.Store.GetCheckInAsync(purchaseId, default))!.Status);
        Assert.DoesNotContain(app.Gateway.Sent, s => s.PersonId == Person.MakeId("slack", impostor.Id));
    }

    [Fact]
    public void Slack_admins_are_matched_by_user_id_within_the_served_team_only()
    {
        var admins = app.Services.GetRequiredService<EscalationAdmins>();
        var id = Person.MakeId("slack", app.Admin.Id);

        Assert.True(admins.IsAdmin(new Actor(id, app.Admin.RealName, TenantId: SlackApiStandIn.TeamId)));
        Assert.False(admins.IsAdmin(new Actor(id, app.Admin.RealName, TenantId: ForeignTeam)));
        Assert.False(admins.IsAdmin(new Actor(id, app.Admin.RealName)));
    }

    /// <summary>The event as Slack delivers it from another workspace: the envelope's team and the event's.</summary>
    private static JsonObject InTeam(JsonObject envelope, string teamId)
    {
        envelope["team_id"] = teamId;
        envelope["context_team_id"] = teamId;
        envelope["event"]!["team"] = teamId;
        foreach (var authorization in envelope["authorizations"]?.AsArray() ?? [])
        {
            authorization!["team_id"] = teamId;
        }

        return envelope;
    }

    private async Task<Escalation> EscalationAsync()
    {
        var channel = SlackEscalationPayloads.NewChannelId();
        var category = $"cat-{Guid.NewGuid():N}"[..16];
        await app.SayAsync(app.Admin, channel, $"escalate here for {category}");
        var checkInId = await app.AnswerBadlyAsync(app.NewMember("Megan Bowen"), category);
        await app.ProcessEscalationsAsync();
        var escalation = await app.EscalationAsync(checkInId);
        Assert.NotNull(escalation.Card);
        return escalation;
    }
}
