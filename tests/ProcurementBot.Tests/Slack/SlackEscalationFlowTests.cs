using System.Text.RegularExpressions;
using ProcurementBot.Escalations;
using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Slack;

/// <summary>
/// Escalations in Slack end to end: an admin says "@ProcurementBot escalate here for &lt;category&gt;" in a channel, a Slack
/// requester's bad check-in becomes a Block Kit message there, and buyers act on it with its buttons and the Resolve modal.
/// Each test has its own channel and category, so tests share the bot but not channels.
/// </summary>
public sealed partial class SlackEscalationFlowTests(SlackEscalationBotApp app) : IClassFixture<SlackEscalationBotApp>
{
    private const string Acknowledge = SlackEscalationBlocks.AcknowledgeAction;
    private const string Assign = SlackEscalationBlocks.AssignAction;
    private const string Resolve = SlackEscalationBlocks.ResolveAction;
    private const string Reopen = SlackEscalationBlocks.ReopenAction;

    private sealed record Setup(string Channel, string Category, SlackMember Buyer, SlackMember Requester, Escalation Escalation);

    [Fact]
    public async Task An_admin_registers_a_channel_for_a_category_and_anyone_else_is_refused()
    {
        var channel = SlackEscalationPayloads.NewChannelId();
        app.Slack.NameChannel(channel, "procurement-laptops");
        var category = NewCategory();
        var outsider = app.NewMember("Mallory Cortez");

        var refused = await app.SayAsync(outsider, channel, $"escalate here for {category}");
        Assert.DoesNotContain(await app.Store.GetEscalationDestinationsAsync(default), c => c.ConversationId == channel);

        var confirmed = await app.SayAsync(app.Admin, channel, $"Escalate here for {category}.");

        Assert.Contains("only procurement admins", refused, StringComparison.Ordinal);
        Assert.Equal($"Done: Escalations for *{category}* will be posted in this channel. None are waiting right now.", confirmed);
        var registered = Assert.Single(await app.Store.GetEscalationDestinationsAsync(default), c => c.ConversationId == channel);
        Assert.Equal((category, "slack", SlackApiStandIn.TeamId, "procurement-laptops", app.Admin.RealName),
            (registered.Category, registered.ChannelId, registered.TeamId, registered.Name, registered.RegisteredBy));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("escalate somewhere else")]
    [InlineData("")]
    public async Task Anything_else_said_to_the_bot_gets_a_short_help_in_the_thread(string said)
    {
        var channel = SlackEscalationPayloads.NewChannelId();

        var reply = await app.SayAsync(app.NewMember("Diego Siciliani"), channel, said);

        Assert.Equal(SlackEscalationMentions.Help, reply);
        Assert.DoesNotContain(await app.Store.GetEscalationDestinationsAsync(default), c => c.ConversationId == channel);
    }

    [Fact]
    public async Task A_bad_check_in_is_posted_to_the_registered_channel_with_its_details_mentioning_the_buyer()
    {
        var (channel, category, buyer, requester, escalation) = await SetUpAsync();

        var post = Assert.Single(app.Slack.CallsOf("chat.postMessage"), c => SlackEscalationBotApp.IsMessageOf(c, escalation));
        Assert.Equal(channel, post.Arg("channel"));
        var blocks = post.Arguments["blocks"]!.AsArray();
        var text = Visible(blocks);
        foreach (var expected in new[]
        {
            escalation.Purchase!.PurchaseId, "Latitude 7450 laptop", escalation.Supplier, category, "1,499.00 EUR",
            requester.RealName, requester.Email, "1/5", "The screen was cracked and the charger missing.", "High severity",
            "Rated 2 or less", "Did not arrive when needed", "*Open*", "no owner yet", $"<@{buyer.Id}>, this is about a purchase you handled.",
        })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.Contains(escalation.Supplier, post.Arg("text"), StringComparison.Ordinal);
        Assert.Equal([Acknowledge, Assign, Resolve], SlackEscalationPayloads.ActionIds(blocks));
        var value = SlackEscalationBlocks.ReadButton(SlackEscalationPayloads.Button(blocks, Acknowledge)!["value"]!.GetValue<string>());
        Assert.Equal(new ButtonValue(escalation.Id, escalation.Revision), value);
        Assert.Equal(("slack", channel, SlackApiStandIn.TeamId), (escalation.Card!.Channel, escalation.Card.ConversationId, escalation.Card.TeamId));
        Assert.Matches(@"^\d+\.\d{6}$", escalation.Card.ActivityId);
        WithinBlockKitLimits(blocks);
    }

    [Fact]
    public async Task People_cannot_mention_anyone_or_link_through_their_answers()
    {
        const string comment = "Ping <@U0BOSS1234> and <!channel> & <https://evil.example|click here> -> now";
        var (_, _, buyer, _, escalation) = await SetUpAsync(comment: comment);

        var post = Assert.Single(app.Slack.CallsOf("chat.postMessage"), c => SlackEscalationBotApp.IsMessageOf(c, escalation));
        var text = Visible(post.Arguments["blocks"]!.AsArray());

        Assert.Contains("Ping &lt;@U0BOSS1234&gt; and &lt;!channel&gt; &amp; &lt;https://evil.example|click here&gt; -&gt; now", text, StringComparison.Ordinal);
        // The only Slack markup in the message is the bot's own: the buyer's mention and dates.
        Assert.Equal([$"<@{buyer.Id}>"], SlackMarkup().Matches(text).Select(m => m.Value).Where(m => !m.StartsWith("<!date^", StringComparison.Ordinal)).Distinct());
        Assert.All(MrkdwnTexts(post.Arguments["blocks"]!.AsArray()), t => Assert.True(t["verbatim"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Acknowledge_updates_the_message_in_place_for_everyone()
    {
        var (channel, _, buyer, _, escalation) = await SetUpAsync();

        var click = await app.ClickAsync(buyer, escalation, Acknowledge);

        var update = await app.WaitForCallAsync("chat.update", c => c.Arg("ts") == escalation.Card!.ActivityId);
        Assert.Equal(channel, update.Arg("channel"));
        var blocks = update.Arguments["blocks"]!.AsArray();
        Assert.Contains($"*Acknowledged* by {buyer.RealName}", Visible(blocks), StringComparison.Ordinal);
        Assert.Equal([Assign, Resolve], SlackEscalationPayloads.ActionIds(blocks));
        Assert.Equal(escalation.Revision + 1, SlackEscalationBlocks.ReadButton(SlackEscalationPayloads.Button(blocks, Resolve)!["value"]!.GetValue<string>())!.Revision);
        var stored = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal((EscalationStatus.Acknowledged, buyer.RealName), (stored.Status, stored.AcknowledgedBy));
        Assert.DoesNotContain(app.Slack.CallsOf(SlackApiStandIn.ResponseUrlCalls), c => c.Arg("_url") == click["response_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Assign_to_me_makes_the_clicker_the_owner_as_a_Slack_person()
    {
        var (_, _, buyer, _, escalation) = await SetUpAsync();

        await app.ClickAsync(buyer, escalation, Assign);

        var update = await app.WaitForCallAsync("chat.update", c => c.Arg("ts") == escalation.Card!.ActivityId);
        Assert.Contains($"owner: *{buyer.RealName}*", Visible(update.Arguments["blocks"]!.AsArray()), StringComparison.Ordinal);
        var owner = (await app.EscalationAsync(escalation.CheckInId!)).Owner!;
        Assert.Equal(($"slack:{buyer.Id}", buyer.RealName, buyer.Email), (owner.PersonId, owner.Name, owner.Email));
    }

    [Fact]
    public async Task A_retried_click_is_applied_once()
    {
        var (_, _, buyer, _, escalation) = await SetUpAsync();
        var click = app.Click(buyer, escalation, Acknowledge);

        await app.DeliverActionAsync(click);
        await app.WaitForCallAsync("chat.update", c => c.Arg("ts") == escalation.Card!.ActivityId);
        await app.DeliverActionAsync(click);
        Assert.True(await app.WaitForSlackIdleAsync());

        var stored = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal(escalation.Revision + 1, stored.Revision);
        Assert.Single(stored.History);
        Assert.Single(app.Slack.CallsOf("chat.update"), c => c.Arg("ts") == escalation.Card!.ActivityId);
    }

    [Fact]
    public async Task Two_buyers_clicking_at_once_one_wins_and_the_other_is_told_what_happened()
    {
        var (channel, _, first, _, escalation) = await SetUpAsync();
        var second = app.NewMember("Lynne Robbins");
        app.Slack.AddToChannel(channel, second.Id);
        var blocks = app.CurrentBlocks(escalation);
        var clicks = new[] { app.Click(first, escalation, Assign, blocks), app.Click(second, escalation, Assign, blocks) };

        await Task.WhenAll(clicks.Select(app.DeliverActionAsync));
        var urls = clicks.Select(c => c["response_url"]!.GetValue<string>()).ToList();
        var told = await app.WaitForCallAsync(SlackApiStandIn.ResponseUrlCalls, c => urls.Contains(c.Arg("_url")!));

        var stored = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal(escalation.Revision + 1, stored.Revision);
        var winner = Assert.Single(stored.History);
        Assert.Contains(winner.Actor, new[] { first.RealName, second.RealName });
        Assert.Contains($"The card changed while you were looking ({winner.Actor} took ownership)", told.Arg("text"), StringComparison.Ordinal);
        Assert.Equal("ephemeral", told.Arg("response_type"));
        Assert.Contains($"owner: *{winner.Actor}*", Visible(app.CurrentBlocks(escalation)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_click_on_an_out_of_date_message_redraws_it_for_everyone_and_tells_the_clicker()
    {
        var (channel, _, buyer, _, escalation) = await SetUpAsync();
        var colleague = app.NewMember("Lynne Robbins");
        app.Slack.AddToChannel(channel, colleague.Id);
        var before = app.CurrentBlocks(escalation);
        await app.ClickAsync(buyer, escalation, Acknowledge);
        await app.WaitForCallAsync("chat.update", c => c.Arg("ts") == escalation.Card!.ActivityId);

        var late = await app.ClickAsync(colleague, escalation, Acknowledge, before);

        var told = await app.WaitForCallAsync(SlackApiStandIn.ResponseUrlCalls, c => c.Arg("_url") == late["response_url"]!.GetValue<string>());
        Assert.Contains($"({buyer.RealName} acknowledged it)", told.Arg("text"), StringComparison.Ordinal);
        Assert.Equal(2, app.Slack.CallsOf("chat.update").Count(c => c.Arg("ts") == escalation.Card!.ActivityId));
        Assert.Equal(escalation.Revision + 1, (await app.EscalationAsync(escalation.CheckInId!)).Revision);
    }

    [Fact]
    public async Task Resolve_asks_for_a_note_in_a_modal_tells_the_requester_and_can_be_reopened()
    {
        var (_, _, buyer, requester, escalation) = await SetUpAsync();

        var click = await app.ClickAsync(buyer, escalation, Resolve);

        var opened = await app.WaitForCallAsync("views.open", c => c.Arg("trigger_id") == click["trigger_id"]!.GetValue<string>());
        var view = opened.Arguments["view"]!.AsObject();
        Assert.Equal(("modal", "escalation.resolve"), (view["type"]!.GetValue<string>(), view["callback_id"]!.GetValue<string>()));
        Assert.True(view["title"]!["text"]!.GetValue<string>().Length <= 24);
        var input = view["blocks"]!.AsArray().OfType<JsonObject>().Single(b => b["type"]!.GetValue<string>() == "input");
        Assert.Equal("note", input["block_id"]!.GetValue<string>());
        Assert.Equal(("plain_text_input", true, EscalationService.MaxNoteLength),
            (input["element"]!["type"]!.GetValue<string>(), input["element"]!["multiline"]!.GetValue<bool>(), input["element"]!["max_length"]!.GetValue<int>()));
        Assert.Equal(escalation.ETag, (await app.EscalationAsync(escalation.CheckInId!)).ETag);

        foreach (var empty in new[] { "   ", null })
        {
            var refused = await app.SubmitViewAsync(SlackEscalationPayloads.ViewSubmission(buyer, view, "note", "note", empty));
            Assert.Equal("errors", refused!["response_action"]!.GetValue<string>());
            Assert.Contains("say what was done", refused["errors"]!["note"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(escalation.ETag, (await app.EscalationAsync(escalation.CheckInId!)).ETag);

        const string note = "Dell is sending a replacement laptop with a charger; it arrives Thursday.";
        var closed = await app.SubmitViewAsync(SlackEscalationPayloads.ViewSubmission(buyer, view, "note", "note", note));

        Assert.Null(closed);
        var resolved = await app.WaitForCallAsync("chat.update", c => c.Arg("ts") == escalation.Card!.ActivityId);
        Assert.Contains($"*Resolved* by {buyer.RealName}", Visible(resolved.Arguments["blocks"]!.AsArray()), StringComparison.Ordinal);
        Assert.Contains(note, Visible(resolved.Arguments["blocks"]!.AsArray()), StringComparison.Ordinal);
        Assert.Equal([Reopen], SlackEscalationPayloads.ActionIds(resolved.Arguments["blocks"]!.AsArray()));
        var told = Assert.Single(app.Gateway.TextsTo($"slack:{requester.Id}"), t => t.Contains(note, StringComparison.Ordinal));
        Assert.Contains(escalation.Purchase!.PurchaseId, told, StringComparison.Ordinal);

        await app.ClickAsync(buyer, await app.EscalationAsync(escalation.CheckInId!), Reopen);

        var reopened = await app.WaitForCallAsync("chat.update", c => c.Arg("ts") == escalation.Card!.ActivityId
            && SlackEscalationPayloads.ActionIds(c.Arguments["blocks"]!.AsArray()).Contains(Acknowledge));
        Assert.Equal([Acknowledge, Assign, Resolve], SlackEscalationPayloads.ActionIds(reopened.Arguments["blocks"]!.AsArray()));
        var stored = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal(EscalationStatus.Open, stored.Status);
        Assert.Equal(["resolved it", "reopened it"], stored.History.Select(h => h.What));
    }

    [Fact]
    public async Task A_Resolve_click_worked_too_late_for_its_trigger_asks_the_buyer_to_click_again_and_is_not_retried()
    {
        var (_, _, buyer, _, escalation) = await SetUpAsync();
        app.Slack.FailNext("views.open", "expired_trigger_id");

        var click = await app.ClickAsync(buyer, escalation, Resolve);

        var told = await app.WaitForCallAsync(SlackApiStandIn.ResponseUrlCalls, c => c.Arg("_url") == click["response_url"]!.GetValue<string>());
        Assert.Contains("click Resolve again", told.Arg("text"), StringComparison.Ordinal);
        Assert.True(await app.WaitForSlackIdleAsync());
        Assert.Single(app.Slack.CallsOf("views.open"), c => c.Arg("trigger_id") == click["trigger_id"]!.GetValue<string>());
        Assert.Equal(escalation.ETag, (await app.EscalationAsync(escalation.CheckInId!)).ETag);
    }

    [Fact]
    public async Task A_note_written_while_someone_else_acted_is_kept_and_resolves_when_submitted_again()
    {
        var (channel, _, buyer, _, escalation) = await SetUpAsync();
        var colleague = app.NewMember("Lynne Robbins");
        app.Slack.AddToChannel(channel, colleague.Id);
        var click = await app.ClickAsync(buyer, escalation, Resolve);
        var view = (await app.WaitForCallAsync("views.open", c => c.Arg("trigger_id") == click["trigger_id"]!.GetValue<string>())).Arguments["view"]!.AsObject();
        await app.ClickAsync(colleague, escalation, Assign);

        const string note = "Replacement ordered.";
        var answer = await app.SubmitViewAsync(SlackEscalationPayloads.ViewSubmission(buyer, view, "note", "note", note));

        Assert.Equal("update", answer!["response_action"]!.GetValue<string>());
        var again = answer["view"]!.AsObject();
        Assert.Contains($"{colleague.RealName} took ownership", Visible(again["blocks"]!.AsArray()), StringComparison.Ordinal);
        Assert.Equal(note, again["blocks"]!.AsArray().OfType<JsonObject>().Single(b => b["type"]!.GetValue<string>() == "input")["element"]!["initial_value"]!.GetValue<string>());
        Assert.Equal(EscalationStatus.Acknowledged, (await app.EscalationAsync(escalation.CheckInId!)).Status);

        Assert.Null(await app.SubmitViewAsync(SlackEscalationPayloads.ViewSubmission(buyer, again, "note", "note", note)));
        Assert.Equal(EscalationStatus.Resolved, (await app.EscalationAsync(escalation.CheckInId!)).Status);
    }

    [Fact]
    public async Task Someone_outside_the_channel_is_refused_and_nothing_changes()
    {
        var (channel, _, _, _, escalation) = await SetUpAsync();
        var outsider = app.NewMember("Mallory Cortez");

        var click = await app.ClickAsync(outsider, escalation, Acknowledge);
        var modal = await app.ClickAsync(outsider, escalation, Resolve);
        var view = (await app.WaitForCallAsync("views.open", c => c.Arg("trigger_id") == modal["trigger_id"]!.GetValue<string>())).Arguments["view"]!.AsObject();
        var submitted = await app.SubmitViewAsync(SlackEscalationPayloads.ViewSubmission(outsider, view, "note", "note", "Closing this myself."));

        var told = await app.WaitForCallAsync(SlackApiStandIn.ResponseUrlCalls, c => c.Arg("_url") == click["response_url"]!.GetValue<string>());
        Assert.Contains("Only members of the procurement team", told.Arg("text"), StringComparison.Ordinal);
        Assert.Equal("errors", submitted!["response_action"]!.GetValue<string>());
        Assert.Contains("Only members of the procurement team", submitted["errors"]!["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(escalation.ETag, (await app.EscalationAsync(escalation.CheckInId!)).ETag);
        Assert.DoesNotContain(app.Slack.CallsOf("chat.update"), c => c.Arg("ts") == escalation.Card!.ActivityId);
        Assert.Contains(app.Slack.CallsOf("conversations.members"), c => c.Arg("channel") == channel);
    }

    [Fact]
    public async Task When_Slack_cannot_say_who_is_in_the_channel_the_clicker_is_asked_to_try_again_and_nothing_changes()
    {
        var (_, _, buyer, _, escalation) = await SetUpAsync();
        app.Slack.FailNext("conversations.members", "ratelimited", status: 500);

        var click = await app.ClickAsync(buyer, escalation, Acknowledge);

        var told = await app.WaitForCallAsync(SlackApiStandIn.ResponseUrlCalls, c => c.Arg("_url") == click["response_url"]!.GetValue<string>());
        Assert.Contains("try again", told.Arg("text"), StringComparison.Ordinal);
        Assert.Equal(escalation.ETag, (await app.EscalationAsync(escalation.CheckInId!)).ETag);

        await app.ClickAsync(buyer, escalation, Acknowledge);
        await app.WaitForCallAsync("chat.update", c => c.Arg("ts") == escalation.Card!.ActivityId);

        Assert.Equal(EscalationStatus.Acknowledged, (await app.EscalationAsync(escalation.CheckInId!)).Status);
    }

    [Fact]
    public async Task An_admin_listed_by_Slack_user_id_may_act_without_being_in_the_channel()
    {
        var (_, _, _, _, escalation) = await SetUpAsync();

        await app.ClickAsync(app.Admin, escalation, Acknowledge);

        var update = await app.WaitForCallAsync("chat.update", c => c.Arg("ts") == escalation.Card!.ActivityId);
        Assert.Contains($"*Acknowledged* by {app.Admin.RealName}", Visible(update.Arguments["blocks"]!.AsArray()), StringComparison.Ordinal);
    }

    /// <summary>A registered channel for a new category, a buyer in it, and an escalation of a Slack requester posted there.</summary>
    private async Task<Setup> SetUpAsync(string? comment = null)
    {
        var channel = SlackEscalationPayloads.NewChannelId();
        var category = NewCategory();
        await app.SayAsync(app.Admin, channel, $"escalate here for {category}");
        var buyer = app.NewMember("Diego Siciliani");
        await app.MeetAsync(buyer);
        app.Slack.AddToChannel(channel, buyer.Id);
        var requester = app.NewMember("Megan Bowen");
        var checkInId = comment is null
            ? await app.AnswerBadlyAsync(requester, category, buyer.Email)
            : await app.AnswerBadlyAsync(requester, category, buyer.Email, comment);
        await app.ProcessEscalationsAsync();
        var escalation = await app.EscalationAsync(checkInId);
        Assert.NotNull(escalation.Card);
        return new Setup(channel, category, buyer, requester, escalation);
    }

    private static string NewCategory() => $"cat-{Guid.NewGuid():N}"[..16];

    /// <summary>Every text in the blocks, one per line.</summary>
    internal static string Visible(JsonArray blocks) =>
        string.Join("\n", Texts(blocks).Select(t => t["text"]!.GetValue<string>()));

    internal static IEnumerable<JsonObject> MrkdwnTexts(JsonArray blocks) => Texts(blocks).Where(t => t["type"]!.GetValue<string>() == "mrkdwn");

    /// <summary>Text objects (plain_text and mrkdwn) anywhere in the blocks.</summary>
    internal static IEnumerable<JsonObject> Texts(JsonNode? node) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() is "mrkdwn" or "plain_text" && o["text"] is JsonValue => [o],
        JsonObject o => o.SelectMany(p => Texts(p.Value)),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };

    /// <summary>Block Kit's limits, as Slack enforces them on chat.postMessage and chat.update.</summary>
    internal static void WithinBlockKitLimits(JsonArray blocks)
    {
        Assert.InRange(blocks.Count, 1, 50);
        Assert.All(Texts(blocks), t => Assert.InRange(t["text"]!.GetValue<string>().Length, 1, 3000));
        foreach (var block in blocks.OfType<JsonObject>())
        {
            switch (block["type"]!.GetValue<string>())
            {
                case "header":
                    Assert.True(block["text"]!["text"]!.GetValue<string>().Length <= 150);
                    break;
                case "section" when block["fields"] is JsonArray fields:
                    Assert.InRange(fields.Count, 1, 10);
                    Assert.All(fields, f => Assert.True(f!["text"]!.GetValue<string>().Length <= 2000));
                    break;
                case "context":
                    Assert.InRange(block["elements"]!.AsArray().Count, 1, 10);
                    break;
                case "actions":
                    Assert.InRange(block["elements"]!.AsArray().Count, 1, 25);
                    Assert.All(block["elements"]!.AsArray(), b =>
                    {
                        Assert.True(b!["text"]!["text"]!.GetValue<string>().Length <= 75);
                        Assert.True(b["value"]!.GetValue<string>().Length <= 2000);
                        Assert.StartsWith("escalation.", b["action_id"]!.GetValue<string>(), StringComparison.Ordinal);
                    });
                    break;
            }
        }
    }

    [GeneratedRegex(@"<[@!#][^>]*>")]
    private static partial Regex SlackMarkup();
}
