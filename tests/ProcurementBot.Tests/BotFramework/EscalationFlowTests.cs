using ProcurementBot.Escalations;
using ProcurementBot.QuestionSets;
using ProcurementBot.Storage;

namespace ProcurementBot.Tests.BotFramework;

/// <summary>
/// Escalations in Teams end to end: an admin registers a procurement channel, a bad check-in becomes a card
/// in a new thread there, and buyers act on it with Action.Execute. Each test has its own team and purchase
/// category (registered as "escalate here for &lt;category&gt;"), so tests share the bot but not channels.
/// </summary>
public abstract class EscalationFlowTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : EscalationBotApp
{
    private const string CardType = "application/vnd.microsoft.card.adaptive";
    private const string MessageType = "application/vnd.microsoft.activity.message";

    private sealed record Setup(TeamsChannel Team, TeamsUser Buyer, TeamsUser Requester, Escalation Escalation);

    [Fact]
    public async Task Only_an_admin_registers_a_channel_and_only_in_a_team_channel()
    {
        var team = TeamsChannel.New();
        var category = NewCategory();
        var outsider = await app.InstallAsync("Mallory Cortez");

        var refused = await app.SayInChannelAsync(outsider, team, $"escalate here for {category}");
        var inPrivate = TeamsActivities.Message(app.Admin, app.Connector.ServiceUrl, "Escalate here");
        (await app.SendAsync(inPrivate)).EnsureSuccessStatusCode();
        Assert.DoesNotContain(await app.Store.GetEscalationDestinationsAsync(default), c => c.TeamId == team.TeamId);

        var confirmed = await app.SayInChannelAsync(app.Admin, team, $"ESCALATE HERE for {category}", mentionBot: false);

        Assert.Contains("only procurement admins", refused, StringComparison.Ordinal);
        Assert.Contains("team channel", app.Connector.Calls.Last(c => c.Path.Contains(app.Admin.ConversationId, StringComparison.Ordinal)).Text, StringComparison.Ordinal);
        Assert.Contains($"Escalations for **{category}** will be posted in this channel", confirmed, StringComparison.Ordinal);
        var registered = Assert.Single(await app.Store.GetEscalationDestinationsAsync(default), c => c.TeamId == team.TeamId);
        Assert.Equal(category, registered.Category);
        Assert.Equal(team.ChannelId, registered.ConversationId);
        Assert.Equal("msteams", registered.ChannelId);
        Assert.Equal(TeamsUser.TenantId, registered.TenantId);
        Assert.Equal(app.Connector.ServiceUrl, registered.ServiceUrl);
    }

    [Fact]
    public async Task A_bad_check_in_becomes_a_card_in_a_new_thread_of_the_channel_mentioning_the_buyer()
    {
        var (team, buyer, requester, escalation) = await SetUpAsync();

        var post = app.ThreadCreation(escalation);
        Assert.True(post.Body!["isGroup"]!.GetValue<bool>());
        Assert.Equal(team.ChannelId, post.Body["channelData"]!["channel"]!["id"]!.GetValue<string>());
        Assert.Equal(TeamsUser.TenantId, post.Body["channelData"]!["tenant"]!["id"]!.GetValue<string>());
        var card = post.Body["activity"]!["attachments"]![0]!["content"]!;
        var text = Visible(card);
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        foreach (var expected in new[]
        {
            escalation.Purchase!.PurchaseId, "Latitude 7450 laptop", escalation.Supplier, escalation.Category, "1,499.00 EUR",
            requester.Name, requester.Email, "1/5 ★", "The screen was cracked and the charger missing.", "High severity", "Rated 2 or less",
            "Did not arrive when needed", "Open",
        })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.Equal(["escalation.acknowledge", "escalation.assign", "escalation.resolve"], Verbs(card));
        var mention = card["msteams"]!["entities"]![0]!;
        Assert.Equal($"<at>{buyer.Name}</at>", mention["text"]!.GetValue<string>());
        Assert.Equal(buyer.UserId, mention["mentioned"]!["id"]!.GetValue<string>());
        Assert.Contains($"<at>{buyer.Name}</at>", text, StringComparison.Ordinal);

        Assert.Equal($"{team.ChannelId};messageid={escalation.Card!.ActivityId}", escalation.Card.ConversationId);
        Assert.Equal(team.TeamId, escalation.Card.TeamId);
    }

    [Fact]
    public async Task Acknowledge_updates_the_card_for_everyone_and_answers_with_the_new_card()
    {
        var (team, buyer, _, escalation) = await SetUpAsync();

        var response = await app.ClickAsync(buyer, team, escalation, "escalation.acknowledge");

        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal(CardType, response["type"]!.GetValue<string>());
        Assert.Contains($"Acknowledged** by {buyer.Name}", Visible(response["value"]!), StringComparison.Ordinal);
        Assert.Equal(["escalation.assign", "escalation.resolve"], Verbs(response["value"]!));
        var put = Assert.Single(app.Connector.Calls, c => c.Method == "PUT" && c.Path == $"/v3/conversations/{escalation.Card!.ConversationId}/activities/{escalation.Card.ActivityId}");
        Assert.Equal(response["value"]!.ToJsonString(), put.Card!.ToJsonString());
        var stored = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal(EscalationStatus.Acknowledged, stored.Status);
        Assert.Equal(buyer.Name, stored.AcknowledgedBy);
    }

    [Fact]
    public async Task Assign_to_me_makes_the_clicker_the_owner()
    {
        var (team, buyer, _, escalation) = await SetUpAsync();

        var response = await app.ClickAsync(buyer, team, escalation, "escalation.assign");

        Assert.Contains($"owner: **{buyer.Name}**", Visible(response["value"]!), StringComparison.Ordinal);
        var stored = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal($"msteams:{buyer.UserId}", stored.Owner!.PersonId);
        Assert.Equal(buyer.Email, stored.Owner.Email);
        Assert.Equal(EscalationStatus.Acknowledged, stored.Status);
    }

    [Fact]
    public async Task Resolve_needs_a_note_tells_the_requester_and_can_be_reopened()
    {
        var (team, buyer, requester, escalation) = await SetUpAsync();

        var withoutNote = await app.ClickAsync(buyer, team, escalation, "escalation.resolve", note: "  ");
        Assert.Equal(CardType, withoutNote["type"]!.GetValue<string>());
        Assert.Contains("Please add a short note", Visible(withoutNote["value"]!), StringComparison.Ordinal);
        Assert.Equal(escalation.ETag, (await app.EscalationAsync(escalation.CheckInId!)).ETag);

        const string note = "Dell is sending a replacement laptop with a charger; it arrives Thursday.";
        var resolved = await app.ClickAsync(buyer, team, escalation, "escalation.resolve", note: note);

        var resolvedCard = Visible(resolved["value"]!);
        Assert.Contains($"Resolved** by {buyer.Name}", resolvedCard, StringComparison.Ordinal);
        Assert.Contains(note, resolvedCard, StringComparison.Ordinal);
        Assert.Equal(["escalation.reopen"], Verbs(resolved["value"]!));
        var told = app.CallsTo(requester).Last(c => c.Method == "POST");
        Assert.Contains(note, told.Text, StringComparison.Ordinal);
        Assert.Contains(escalation.Purchase!.PurchaseId, told.Text, StringComparison.Ordinal);

        var current = await app.EscalationAsync(escalation.CheckInId!);
        var reopened = await app.ClickAsync(buyer, team, current, "escalation.reopen");

        Assert.Equal(["escalation.acknowledge", "escalation.assign", "escalation.resolve"], Verbs(reopened["value"]!));
        var stored = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal(EscalationStatus.Open, stored.Status);
        Assert.Equal(["resolved it", "reopened it"], stored.History.Select(h => h.What));
        Assert.Contains("reopened it", Visible(reopened["value"]!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_buyers_clicking_the_same_card_at_once_one_wins_and_the_other_sees_the_current_state()
    {
        var (team, first, _, escalation) = await SetUpAsync();
        var second = await app.BuyerAsync(team, "Lynne Robbins");

        var responses = await Task.WhenAll(
            app.ClickAsync(first, team, escalation, "escalation.assign"),
            app.ClickAsync(second, team, escalation, "escalation.assign"));

        var stored = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal(escalation.Revision + 1, stored.Revision);
        var winner = Assert.Single(stored.History);
        Assert.Contains(winner.Actor, new[] { first.Name, second.Name });
        Assert.All(responses, r => Assert.Equal(CardType, r["type"]!.GetValue<string>()));
        Assert.All(responses, r => Assert.Contains($"owner: **{winner.Actor}**", Visible(r["value"]!), StringComparison.Ordinal));
        Assert.All(responses, r => Assert.Contains($"\"revision\":\"{stored.Revision}\"", r["value"]!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retried_click_is_applied_once()
    {
        var (team, buyer, _, escalation) = await SetUpAsync();

        var first = await app.ClickAsync(buyer, team, escalation, "escalation.acknowledge", activityId: "f:retry-1");
        var retried = await app.ClickAsync(buyer, team, escalation, "escalation.acknowledge", activityId: "f:retry-1");

        var stored = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal(escalation.Revision + 1, stored.Revision);
        Assert.Single(stored.History);
        Assert.Single(app.Connector.Calls, c => c.Method == "PUT" && c.Path.Contains(escalation.Card!.ConversationId, StringComparison.Ordinal));
        Assert.Equal(first["value"]!.ToJsonString(), retried["value"]!.ToJsonString());
    }

    [Fact]
    public async Task Someone_outside_the_procurement_team_is_refused_and_nothing_changes()
    {
        var (team, _, _, escalation) = await SetUpAsync();
        var outsider = await app.InstallAsync("Mallory Cortez");

        var response = await app.ClickAsync(outsider, team, escalation, "escalation.resolve", note: "Closing this myself.");

        Assert.Equal(MessageType, response["type"]!.GetValue<string>());
        Assert.Contains("Only members of the procurement team", response["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(escalation.ETag, (await app.EscalationAsync(escalation.CheckInId!)).ETag);
        Assert.DoesNotContain(app.Connector.Calls, c => c.Method == "PUT" && c.Path.Contains(escalation.Card!.ConversationId, StringComparison.Ordinal));
        Assert.Contains(app.Connector.Calls, c => c.Method == "GET" && c.Path == $"/v3/conversations/{team.TeamId}/members/{outsider.AadObjectId}");
    }

    [Fact]
    public async Task An_admin_outside_the_team_may_act()
    {
        var (team, _, _, escalation) = await SetUpAsync();

        var response = await app.ClickAsync(app.Admin, team, escalation, "escalation.acknowledge");

        Assert.Contains($"Acknowledged** by {app.Admin.Name}", Visible(response["value"]!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_question_set_keeps_the_requester_off_the_card()
    {
        var category = NewCategory();
        var seeded = StoreJson.Deserialize<QuestionSet>(File.ReadAllText(Path.Combine(NodeTools.RepoRoot, "bot", "QuestionSets", "Seeded", "general-goods.json")));
        await app.Store.AddQuestionSetVersionAsync(seeded with { Id = $"anonymous-{category}", Categories = [category], IsDefault = false, Anonymous = true }, default);

        var (_, _, requester, escalation) = await SetUpAsync(category);

        Assert.Null(escalation.RequesterName);
        var card = Visible(app.ThreadCreation(escalation).Body!["activity"]!["attachments"]![0]!["content"]!);
        Assert.DoesNotContain(requester.Name, card, StringComparison.Ordinal);
        Assert.DoesNotContain(requester.Email, card, StringComparison.Ordinal);
        Assert.DoesNotContain("Requested by", card, StringComparison.Ordinal);
        Assert.Contains("The screen was cracked", card, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("escalation.delete", true, "UnknownAction")]
    [InlineData("escalation.acknowledge", false, "BadRequest")]
    public async Task Unknown_escalation_actions_and_missing_data_get_a_clear_400(string verb, bool withId, string code)
    {
        var team = TeamsChannel.New();
        var data = withId ? new JsonObject { ["escalationId"] = "checkin:nope", ["revision"] = "0" } : [];
        var invoke = TeamsActivities.CardAction(app.Admin, team, app.Connector.ServiceUrl, $"{team.ChannelId};messageid=1", "1", verb, data);

        var response = await app.SendAsync(invoke);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.Equal(code, body["value"]!["code"]!.GetValue<string>());
    }

    /// <summary>A registered channel for a new category, a buyer in its team, and a posted escalation.</summary>
    private async Task<Setup> SetUpAsync(string? category = null)
    {
        var team = TeamsChannel.New();
        category ??= NewCategory();
        await app.SayInChannelAsync(app.Admin, team, $"escalate here for {category}");
        var buyer = await app.BuyerAsync(team, "Diego Siciliani");
        var requester = await app.InstallAsync("Megan Bowen");
        var checkInId = await app.AnswerBadlyAsync(requester, category, buyer.Email);
        await app.ProcessEscalationsAsync();
        var escalation = await app.EscalationAsync(checkInId);
        Assert.NotNull(escalation.Card);
        return new Setup(team, buyer, requester, escalation);
    }

    private static string NewCategory() => $"cat-{Guid.NewGuid():N}"[..16];

    private static List<string> Verbs(JsonNode card) =>
        [.. card["actions"]!.AsArray().Select(a => a!["verb"]!.GetValue<string>())];

    private static string Visible(JsonNode card) => CardText.Of(card);
}

/// <summary>The escalation flow on the embedded SQLite store.</summary>
public sealed class EscalationFlowOnSqliteTests(EscalationBotApp app) : EscalationFlowTests<EscalationBotApp>(app);

/// <summary>The same flow, purchase to resolved escalation, on Cosmos DB.</summary>
public sealed class EscalationFlowOnCosmosTests(CosmosEscalationBotApp app) : EscalationFlowTests<CosmosEscalationBotApp>(app);
