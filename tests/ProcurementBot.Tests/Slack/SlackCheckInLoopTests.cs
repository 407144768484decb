using System.Text.Encodings.Web;
using System.Text.Json;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;

namespace ProcurementBot.Tests.Slack;

/// <summary>
/// The check-in loop in Slack: found by email, asked in Block Kit in the DM, answered by clicks (one question each, the
/// message updated in place) or by typing, stored, summarised, escalated.
/// </summary>
public sealed class SlackCheckInLoopTests(SlackBotApp app) : IClassFixture<SlackBotApp>
{
    // The general-goods set: overall rating, on time (yes/no), and "What went wrong?" after a rating of 2 or less.
    private const string Category = "office-supplies";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task A_purchase_for_someone_who_never_wrote_to_the_bot_is_asked_answered_by_clicks_and_escalated()
    {
        var member = app.Slack.AddMember(new SlackMember("U0LENA01", "lena.loop@contoso.com", "Lena Loop", "Europe/Berlin"));
        var dm = SlackPayloads.DirectMessageOf(member);
        Assert.Equal(HttpStatusCode.Created, (await app.PostPurchasesAsync(BotApp.Purchase(member.Email, "PO-SLK-LOOP", Category))).StatusCode);

        Assert.True(await app.DispatchSlackAsync() >= 1);

        // Found by email, their DM opened, and stored for next time.
        var lookup = Assert.Single(app.Slack.CallsOf("users.lookupByEmail"), c => c.Arg("email") == member.Email);
        Assert.False(lookup.AsJson);
        Assert.Single(app.Slack.CallsOf("conversations.open"), c => c.Arg("users") == member.Id);
        var person = await app.Store.FindPersonByAddressAsync(member.Email, default);
        Assert.Equal((Person.MakeId("slack", member.Id), "slack", SlackApiStandIn.TeamId, dm, "Europe/Berlin", "Lena Loop"),
            (person!.Id, person.Channel, person.TenantId, person.ConversationId, person.TimeZone, person.Name));

        // The check-in in Block Kit: buttons for the rating and yes/no, fallback text, within Slack's limits.
        var card = Assert.Single(app.Slack.MessagesIn(dm));
        Assert.Contains("PO-SLK-LOOP", card.Text, StringComparison.Ordinal);
        Assert.Contains("How happy are you with Latitude 7450 laptop from Dell?", card.Blocks.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("What went wrong?", card.Blocks.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(card.Ts, (await app.Store.GetCheckInAsync("PO-SLK-LOOP", default))!.CardMessageId);

        // One click answers one question; the same message then shows what is left, the follow-up included.
        await ClickAsync(member, card, "overall", "1", expectedUpdates: 1);
        card = Assert.Single(app.Slack.MessagesIn(dm));
        Assert.Contains("1/5", card.Blocks.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(card.Blocks, b => b!["block_id"]?.GetValue<string>().EndsWith("|overall", StringComparison.Ordinal) == true);
        Assert.Contains("What went wrong?", card.Blocks.ToJsonString(), StringComparison.Ordinal);
        var stored = await app.Store.GetCheckInAsync("PO-SLK-LOOP", default);
        Assert.Equal((CheckInStatus.InProgress, 1), (stored!.Status, stored.Answers.Count));

        await ClickAsync(member, card, "onTime", "no", expectedUpdates: 2);

        // The free-text follow-up is typed in the DM.
        await app.PostEventAsync(SlackPayloads.DirectMessage(member, "The box was crushed &amp; the charger missing."));
        await UpdatesInAsync(dm, 3);
        var thanks = await WaitForPostAsync(dm, "Thanks Lena! Your answers are saved.");

        card = Assert.Single(app.Slack.MessagesIn(dm), m => m.Ts == card.Ts);
        Assert.DoesNotContain(card.Blocks, b => b!["type"]!.GetValue<string>() == "actions");
        Assert.Contains("Answered", card.Text, StringComparison.Ordinal);
        Assert.Contains("The box was crushed &amp; the charger missing.", card.Blocks.ToJsonString(Relaxed), StringComparison.Ordinal);
        Assert.NotNull(thanks);

        var done = await app.Store.GetCheckInAsync("PO-SLK-LOOP", default);
        Assert.Equal(CheckInStatus.Completed, done!.Status);
        Assert.Equal(["overall=1", "onTime=no", "whatWentWrong=The box was crushed & the charger missing."],
            done.Answers.Select(a => $"{a.QuestionId}={a.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? a.Value}"));
        var escalation = await app.Store.GetEscalationAsync(Escalation.IdForCheckIn("PO-SLK-LOOP"), default);
        Assert.NotNull(escalation);
        Assert.Contains(escalation.Rules, r => r.RuleId == "low-rating");
        Assert.Contains(escalation.Rules, r => r.RuleId == "late");
    }

    [Fact]
    public async Task Someone_who_wrote_first_is_known_by_users_info_and_answers_by_typing_once_per_event()
    {
        var member = app.Slack.AddMember(new SlackMember("U0TOM001", "tom.typer@contoso.com", "Tom Typer", "America/Chicago"));
        var dm = SlackPayloads.DirectMessageOf(member);

        await app.PostEventAsync(SlackPayloads.DirectMessage(member, "hello"));
        await WaitForPostAsync(dm, "I check in after your purchases are delivered");
        var person = await app.Store.FindPersonByAddressAsync(member.Email, default);
        Assert.Equal(("America/Chicago", dm), (person!.TimeZone, person.ConversationId));

        await app.PostPurchasesAsync(BotApp.Purchase(member.Email, "PO-SLK-TYPED", Category));
        await app.DispatchSlackAsync();
        Assert.DoesNotContain(app.Slack.CallsOf("users.lookupByEmail"), c => c.Arg("email") == member.Email);
        var card = Assert.Single(app.Slack.MessagesIn(dm), m => m.Text?.Contains("PO-SLK-TYPED", StringComparison.Ordinal) == true);

        var four = SlackPayloads.DirectMessage(member, "four");
        await app.PostEventAsync(four);
        await WaitForPostAsync(dm, "(2/2) Did it arrive when you needed it?");
        await app.PostEventAsync(four, retryNum: 1);
        await app.PostEventAsync(SlackPayloads.DirectMessage(member, "yep"));
        await WaitForPostAsync(dm, "Thanks Tom! Your answers are saved.");

        var done = await app.Store.GetCheckInAsync("PO-SLK-TYPED", default);
        Assert.Equal(CheckInStatus.Completed, done!.Status);
        Assert.Equal(["overall:4", "onTime:yes"], done.Answers.Select(a => $"{a.QuestionId}:{a.Value}"));
        Assert.Contains($"slack|{four["event_id"]!.GetValue<string>()}", done.AppliedActivityIds);
        Assert.Single(app.Slack.CallsOf("chat.postMessage"), c => c.Arg("channel") == dm && c.Arg("text")!.Contains("(2/2)", StringComparison.Ordinal));

        // The card became the read-only summary.
        var summary = await WaitForAsync(() => app.Slack.MessagesIn(dm).Single(m => m.Ts == card.Ts), m => !m.Blocks.Any(b => b!["type"]!.GetValue<string>() == "actions"));
        Assert.Contains("4/5", summary.Blocks.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_click_on_someone_elses_check_in_is_refused_and_stores_nothing()
    {
        var owner = app.Slack.AddMember(new SlackMember("U0OWNER1", "owner@contoso.com", "Olga Owner"));
        var other = app.Slack.AddMember(new SlackMember("U0OTHER1", "other@contoso.com", "Otto Other"));
        await app.PostPurchasesAsync(BotApp.Purchase(owner.Email, "PO-SLK-OWNER", Category));
        await app.DispatchSlackAsync();
        var card = Assert.Single(app.Slack.MessagesIn(SlackPayloads.DirectMessageOf(owner)));

        var click = SlackPayloads.Click(other, card with { Channel = SlackPayloads.DirectMessageOf(other) }, "overall", "5");
        Assert.Equal(HttpStatusCode.OK, (await app.PostInteractionAsync(click)).StatusCode);
        await WaitForPostAsync(SlackPayloads.DirectMessageOf(other), "sent to someone else");

        Assert.Empty((await app.Store.GetCheckInAsync("PO-SLK-OWNER", default))!.Answers);
    }

    private async Task ClickAsync(SlackMember member, SlackStoredMessage card, string questionId, string value, int expectedUpdates)
    {
        var response = await app.PostInteractionAsync(SlackPayloads.Click(member, card, questionId, value));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var update = (await UpdatesInAsync(card.Channel, expectedUpdates))[expectedUpdates - 1];
        Assert.Equal((card.Channel, card.Ts), (update.Arg("channel"), update.Arg("ts")));
        Assert.False(string.IsNullOrEmpty(update.Arg("text")));
    }

    private Task<List<SlackCall>> UpdatesInAsync(string channel, int count) => WaitForAsync(
        () => app.Slack.CallsOf("chat.update").Where(c => c.Arg("channel") == channel).ToList(),
        updates => updates.Count >= count);

    private async Task<SlackCall> WaitForPostAsync(string channel, string containing) =>
        await WaitForAsync(
            () => app.Slack.CallsOf("chat.postMessage").FirstOrDefault(c => c.Arg("channel") == channel && c.Arg("text")?.Contains(containing, StringComparison.Ordinal) == true)!,
            c => c is not null);

    private async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var task = Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                try
                {
                    if (read() is { } value && done(value))
                    {
                        return value;
                    }
                }
                catch (InvalidOperationException)
                {
                    // not there yet
                }

                await Task.Delay(20);
            }

            throw new TimeoutException("The Slack stand-in never saw what the test waited for.");
        });
        return await app.AdvancingAsync(task);
    }
}
