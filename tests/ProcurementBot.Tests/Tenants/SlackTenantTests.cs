using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;

namespace ProcurementBot.Tests.Tenants;

/// <summary>
/// Another Slack team can do nothing: signed events and clicks from a team not in <c>Slack:AllowedTeams</c> (another
/// workspace, or a Slack Connect guest's organisation) are acknowledged, so Slack stops retrying, and change nothing;
/// a user of another workspace found by email is not a purchase's requester.
/// </summary>
public sealed class SlackTenantTests(SlackEscalationBotApp app) : IClassFixture<SlackEscalationBotApp>
{
    private const string OtherTeam = "T0ELSEWHERE";

    public static TheoryData<string> Events => new() { "direct message", "escalate here", "Slack Connect guest" };

    [Theory]
    [MemberData(nameof(Events))]
    public async Task An_event_from_another_team_is_acknowledged_and_changes_nothing(string kind)
    {
        var outsider = app.Slack.AddMember(SlackEscalationPayloads.NewMember("Eve Outsider") with { TeamId = OtherTeam });
        var channel = SlackEscalationPayloads.NewChannelId();
        var category = $"cat-{Guid.NewGuid():N}"[..16];
        JsonObject envelope;
        switch (kind)
        {
            case "direct message":
                envelope = SlackPayloads.DirectMessage(outsider, "status");
                Move(envelope, OtherTeam, OtherTeam);
                break;
            case "escalate here":
                // Another workspace's user who happens to have the admin's user id.
                envelope = SlackEscalationPayloads.AppMention(app.Admin.Id, channel, $"escalate here for {category}");
                Move(envelope, OtherTeam, OtherTeam);
                break;
            default:
                // In a channel shared with another organisation: the request is our team's, the user is not.
                envelope = SlackEscalationPayloads.AppMention(outsider.Id, channel, $"escalate here for {category}");
                envelope["event"]!["user_team"] = OtherTeam;
                break;
        }

        var response = await app.PostEventAsync(envelope);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await app.WaitForSlackIdleAsync());
        Assert.Null(await app.Store.GetPersonAsync(Person.MakeId("slack", outsider.Id), default));
        Assert.DoesNotContain(await app.Store.GetEscalationDestinationsAsync(default), c => c.Category == category);
        Assert.DoesNotContain(app.Slack.Calls, c => c.Arg("user") == outsider.Id || c.Arg("channel") == channel
            || c.Arg("channel") == SlackPayloads.DirectMessageOf(outsider));
    }

    [Fact]
    public async Task A_click_from_another_team_leaves_the_escalation_as_it_was()
    {
        var channel = SlackEscalationPayloads.NewChannelId();
        var category = $"cat-{Guid.NewGuid():N}"[..16];
        Assert.Contains("Done", await app.SayAsync(app.Admin, channel, $"escalate here for {category}"), StringComparison.Ordinal);
        var checkInId = await app.AnswerBadlyAsync(app.NewMember("Megan Bowen"), category);
        await app.ProcessEscalationsAsync();
        var escalation = await app.EscalationAsync(checkInId);
        Assert.NotNull(escalation.Card);

        foreach (var action in new[] { "escalation.acknowledge", "escalation.assign" })
        {
            // The admin's user id, clicking from another workspace.
            var payload = app.Click(app.Admin, escalation, action);
            payload["team"]!["id"] = OtherTeam;
            payload["user"]!["team_id"] = OtherTeam;

            Assert.Equal(HttpStatusCode.OK, (await app.PostInteractionAsync(payload)).StatusCode);
        }

        Assert.True(await app.WaitForSlackIdleAsync());
        var after = await app.EscalationAsync(checkInId);
        Assert.Equal((EscalationStatus.Open, escalation.Revision), (after.Status, after.Revision));
    }

    [Fact]
    public async Task A_user_of_another_workspace_found_by_email_is_not_the_requester()
    {
        var elsewhere = app.Slack.AddMember(SlackEscalationPayloads.NewMember("Grace Grid") with { TeamId = OtherTeam });
        var purchase = $"PO-{Guid.NewGuid():N}"[..16];
        (await app.PostPurchasesAsync(BotApp.Purchase(elsewhere.Email, purchase))).EnsureSuccessStatusCode();

        await app.DispatchSlackAsync();

        Assert.Equal(CheckInStatus.AwaitingContact, (await app.Store.GetCheckInAsync(purchase, default))!.Status);
        Assert.Null(await app.Store.GetPersonAsync(Person.MakeId("slack", elsewhere.Id), default));
        Assert.DoesNotContain(app.Gateway.Sent, s => s.PersonId == Person.MakeId("slack", elsewhere.Id));
        Assert.DoesNotContain(app.Slack.CallsOf("conversations.open"), c => c.Arg("users") == elsewhere.Id);
    }

    private static void Move(JsonObject envelope, string team, string userTeam)
    {
        envelope["team_id"] = team;
        envelope["event"]!["team"] = userTeam;
        foreach (var authorization in envelope["authorizations"]?.AsArray() ?? [])
        {
            authorization!["team_id"] = team;
        }
    }
}
