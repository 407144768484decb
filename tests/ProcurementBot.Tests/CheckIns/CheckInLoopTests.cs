using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.CheckIns;

/// <summary>The core loop in Teams: install, purchase, check-in card, answers, thanks.</summary>
public sealed class CheckInLoopTests(BotApp app) : IClassFixture<BotApp>
{
    [Fact]
    public async Task Installing_the_bot_gets_a_short_welcome_once_and_stores_the_person()
    {
        var user = await app.InstallAsync("Megan Bowen");
        await app.SendAsync(TeamsActivities.InstallationAdd(user, app.Connector.ServiceUrl));

        var calls = app.CallsTo(user);
        var welcome = Assert.Single(calls, c => c.Method == "POST");
        Assert.Contains("Hi Megan!", welcome.Text, StringComparison.Ordinal);
        Assert.Equal(user.UserId, welcome.Body!["recipient"]!["id"]!.GetValue<string>());
        Assert.Contains(app.Connector.Calls, c => c.Method == "GET" && c.Path.EndsWith($"/members/{user.UserId}", StringComparison.Ordinal));

        var person = await app.Store.FindPersonByAddressAsync(user.Email, default);
        Assert.NotNull(person);
        Assert.Equal(user.AadObjectId, person.AadObjectId);
        Assert.Equal(user.ConversationId, person.ConversationId);
        Assert.Equal(TeamsUser.TenantId, person.TenantId);
    }

    [Fact]
    public async Task A_delivered_purchase_reaches_the_requester_as_a_check_in_card()
    {
        var user = await app.InstallAsync();
        var response = await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-CARD-1"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        Assert.True(await app.DispatchAsync() >= 1);

        var card = app.CallsTo(user).Last(c => c.Card is not null);
        Assert.Equal($"/v3/conversations/{user.ConversationId}/activities", card.Path);
        Assert.Equal("1.5", card.Card!["version"]!.GetValue<string>());
        Assert.Contains("PO-CARD-1", card.Visible, StringComparison.Ordinal);
        Assert.Contains("How happy are you with Latitude 7450 laptop from Dell?", card.Visible, StringComparison.Ordinal);
        Assert.DoesNotContain("What went wrong?", card.Visible, StringComparison.Ordinal);
        var checkIn = await app.Store.GetCheckInAsync("PO-CARD-1", default);
        Assert.Equal(CheckInStatus.InProgress, checkIn!.Status);
        Assert.Equal(Person(user), checkIn.PersonId);
    }

    public static TheoryData<string, string[]> TypedConversation => new()
    {
        // user says → the bot's next message contains
        { "help", ["answer on the card, or type your answer"] },
        { "banana", ["Sorry, I didn't get that", "a rating from 1 (bad) to 5 (great)", "(1/3) How happy are you"] },
        { "★★", ["(2/4) Did it arrive when you needed it?"] },
        { "skip", ["This question is needed", "(2/4) Did it arrive"] },
        { "late again", ["(3/4) Did it work out of the box?"] },
        { "skip", ["(4/4) What went wrong?"] },
        { "The box was crushed and the charger missing.", ["Thanks Megan! Your answers are saved."] },
    };

    [Fact]
    public async Task Typed_answers_go_one_question_at_a_time_with_follow_ups_only_when_their_condition_holds()
    {
        var user = await app.InstallAsync();
        await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-TYPED-1"));
        await app.DispatchAsync();

        foreach (var (says, expected) in TypedConversation.Select(row => ((string)row[0], (string[])row[1])))
        {
            var before = app.CallsTo(user).Count;
            var response = await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, says));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var said = string.Join(" // ", app.CallsTo(user).Skip(before).Where(c => c.Method == "POST").Select(c => c.Visible));
            foreach (var fragment in expected)
            {
                Assert.True(said.Contains(fragment, StringComparison.OrdinalIgnoreCase), $"After \"{says}\" the bot said: {said}\nExpected: {fragment}");
            }
        }

        var stored = await app.Store.GetCheckInAsync("PO-TYPED-1", default);
        Assert.Equal(CheckInStatus.Completed, stored!.Status);
        Assert.Equal(["overall", "onTime", "workingOutOfBox", "whatWentWrong"], stored.Answers.Select(a => a.QuestionId));
        Assert.Equal(2, stored.Answers[0].Number);
        Assert.Equal("no", stored.Answers[1].Value);
        Assert.True(stored.Answers[2].Skipped);
        Assert.Equal("The box was crushed and the charger missing.", stored.Answers[3].Value);

        // The original card was replaced by a read-only summary.
        var summary = app.CallsTo(user).Last(c => c.Method == "PUT");
        Assert.Contains("Answered", summary.Visible, StringComparison.Ordinal);
        Assert.Null(summary.Card!["actions"]);
    }

    [Fact]
    public async Task Answering_on_the_card_stores_the_answers_replaces_the_card_and_thanks()
    {
        var user = await app.InstallAsync("Alex Wilber");
        await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-SUBMIT-1"));
        await app.DispatchAsync();
        var cardId = (await app.Store.GetCheckInAsync("PO-SUBMIT-1", default))!.CardMessageId!;

        var submit = TeamsActivities.Submit(user, app.Connector.ServiceUrl, cardId, TeamsActivities.Answers("PO-SUBMIT-1", ("overall", "5"), ("onTime", "yes"), ("workingOutOfBox", "Yes, right away")));
        var response = await app.SendAsync(submit);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await app.Store.GetCheckInAsync("PO-SUBMIT-1", default);
        Assert.Equal(CheckInStatus.Completed, stored!.Status);
        Assert.Equal(["5", "yes", "Yes, right away"], stored.Answers.Select(a => a.Value));
        var calls = app.CallsTo(user);
        var update = Assert.Single(calls, c => c.Method == "PUT");
        Assert.EndsWith($"/activities/{cardId}", update.Path, StringComparison.Ordinal);
        Assert.Contains("Thanks Alex!", calls.Last(c => c.Method == "POST").Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_low_rating_on_the_card_brings_the_follow_up_on_a_new_card()
    {
        var user = await app.InstallAsync();
        await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-FOLLOW-1"));
        await app.DispatchAsync();
        var cardId = (await app.Store.GetCheckInAsync("PO-FOLLOW-1", default))!.CardMessageId!;

        await app.SendAsync(TeamsActivities.Submit(user, app.Connector.ServiceUrl, cardId, TeamsActivities.Answers("PO-FOLLOW-1", ("overall", "1"), ("onTime", "no"), ("workingOutOfBox", ""))));

        var followUp = app.CallsTo(user).Last(c => c.Method == "POST");
        Assert.Contains("What went wrong?", followUp.Visible, StringComparison.Ordinal);
        Assert.DoesNotContain("How happy", followUp.Visible, StringComparison.Ordinal);
        var state = await app.Store.GetCheckInAsync("PO-FOLLOW-1", default);
        Assert.Equal(CheckInStatus.InProgress, state!.Status);
        Assert.NotEqual(cardId, state.CardMessageId);

        await app.SendAsync(TeamsActivities.Submit(user, app.Connector.ServiceUrl, state.CardMessageId!, TeamsActivities.Answers("PO-FOLLOW-1", ("whatWentWrong", "Arrived two weeks late, with a dead battery"))));

        var done = await app.Store.GetCheckInAsync("PO-FOLLOW-1", default);
        Assert.Equal(CheckInStatus.Completed, done!.Status);
        Assert.Equal("Arrived two weeks late, with a dead battery", done.Answers.Single(a => a.QuestionId == "whatWentWrong").Value);
    }

    [Fact]
    public async Task A_retried_submission_is_stored_once_and_answered_again()
    {
        var user = await app.InstallAsync();
        await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-RETRY-1"));
        await app.DispatchAsync();
        var before = await app.Store.GetCheckInAsync("PO-RETRY-1", default);
        var submit = TeamsActivities.Submit(user, app.Connector.ServiceUrl, before!.CardMessageId!, TeamsActivities.Answers("PO-RETRY-1", ("overall", "4"), ("onTime", "yes")), id: "1700000000999");

        await app.SendAsync(submit);
        var first = await app.Store.GetCheckInAsync("PO-RETRY-1", default);
        await app.SendAsync(submit.DeepClone().AsObject());
        var second = await app.Store.GetCheckInAsync("PO-RETRY-1", default);

        Assert.Equal(first!.ETag, second!.ETag);
        Assert.Equal(first.Answers, second.Answers);
        Assert.Equal(2, app.CallsTo(user).Count(c => c.Text?.StartsWith("Thanks", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Invalid_card_answers_change_nothing_and_say_what_is_missing()
    {
        var user = await app.InstallAsync();
        await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-BAD-1"));
        await app.DispatchAsync();
        var before = await app.Store.GetCheckInAsync("PO-BAD-1", default);

        await app.SendAsync(TeamsActivities.Submit(user, app.Connector.ServiceUrl, before!.CardMessageId!, TeamsActivities.Answers("PO-BAD-1", ("overall", "9"))));

        var after = await app.Store.GetCheckInAsync("PO-BAD-1", default);
        Assert.Equal(before.ETag, after!.ETag);
        var reply = app.CallsTo(user).Last(c => c.Method == "POST").Text!;
        Assert.Contains("How happy are you with Latitude 7450 laptop from Dell? (a rating from 1 (bad) to 5 (great))", reply, StringComparison.Ordinal);
        Assert.Contains("Did it arrive when you needed it?", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_else_cannot_answer_a_check_in_and_unknown_buttons_are_explained()
    {
        var owner = await app.InstallAsync();
        var intruder = await app.InstallAsync("Mallory");
        await app.PostPurchasesAsync(BotApp.Purchase(owner.Email, "PO-OWNER-1"));
        await app.DispatchAsync();
        var before = await app.Store.GetCheckInAsync("PO-OWNER-1", default);

        await app.SendAsync(TeamsActivities.Submit(intruder, app.Connector.ServiceUrl, "x", TeamsActivities.Answers("PO-OWNER-1", ("overall", "1"), ("onTime", "no"))));
        await app.SendAsync(TeamsActivities.Submit(intruder, app.Connector.ServiceUrl, "x", new JsonObject { ["action"] = "launch.rockets" }));

        Assert.Equal(before!.ETag, (await app.Store.GetCheckInAsync("PO-OWNER-1", default))!.ETag);
        var replies = app.CallsTo(intruder).Where(c => c.Method == "POST").Select(c => c.Text).ToList();
        Assert.Contains(replies, t => t!.Contains("sent to someone else", StringComparison.Ordinal));
        Assert.Contains(replies, t => t!.Contains("don't recognise that button", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_purchase_for_someone_without_the_bot_waits_until_they_install_it()
    {
        var email = $"late.installer.{Guid.NewGuid():N}@contoso.com";
        await app.PostPurchasesAsync(BotApp.Purchase(email, "PO-WAIT-1"));
        await app.DispatchAsync();
        Assert.Equal(CheckInStatus.AwaitingContact, (await app.Store.GetCheckInAsync("PO-WAIT-1", default))!.Status);

        var user = await app.InstallAsync("Late Installer", email);
        await app.DispatchAsync();

        Assert.Equal(CheckInStatus.InProgress, (await app.Store.GetCheckInAsync("PO-WAIT-1", default))!.Status);
        Assert.Contains(app.CallsTo(user), c => c.Card is not null && c.Visible.Contains("PO-WAIT-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_ends_the_check_in_keeping_answers_and_status_lists_what_is_open()
    {
        var user = await app.InstallAsync();
        await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-STOP-1"));
        await app.DispatchAsync();

        await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, "status"));
        Assert.Contains("PO-STOP-1", app.CallsTo(user).Last().Text, StringComparison.Ordinal);
        await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, "3"));
        await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, "STOP"));

        var stored = await app.Store.GetCheckInAsync("PO-STOP-1", default);
        Assert.Equal(CheckInStatus.Stopped, stored!.Status);
        Assert.Equal(3, Assert.Single(stored.Answers).Number);
        Assert.Contains("stopped this check-in", app.CallsTo(user).Last(c => c.Method == "POST").Text, StringComparison.Ordinal);
        await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, "status"));
        Assert.Contains("no open check-ins", app.CallsTo(user).Last().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_survives_a_restart_mid_survey()
    {
        var user = await app.InstallAsync();
        await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-RESTART-1"));
        await app.DispatchAsync();
        await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, "4"));

        // A second host on the same database file stands in for the restarted process.
        await using var restarted = app.WithWebHostBuilder(_ => { });
        using var client = restarted.CreateClient();
        var response = await client.PostAsync("/api/messages", System.Net.Http.Json.JsonContent.Create(TeamsActivities.Message(user, app.Connector.ServiceUrl, "yes")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("(3/3)", app.CallsTo(user).Last().Text, StringComparison.Ordinal);
        var stored = await app.Store.GetCheckInAsync("PO-RESTART-1", default);
        Assert.Equal(["overall", "onTime"], stored!.Answers.Select(a => a.QuestionId));
    }

    [Fact]
    public async Task A_person_who_blocked_the_bot_is_not_retried()
    {
        var user = await app.InstallAsync();
        await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-BLOCKED-1"));
        app.Connector.FailNext("POST", 403, "MessageWritesBlocked");

        await app.DispatchAsync();

        var stored = await app.Store.GetCheckInAsync("PO-BLOCKED-1", default);
        Assert.Equal(CheckInStatus.Failed, stored!.Status);
        Assert.Contains("MessageWritesBlocked", stored.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_sends_are_retried_after_the_Retry_After_delay()
    {
        var user = await app.InstallAsync();
        await app.PostPurchasesAsync(BotApp.Purchase(user.Email, "PO-429-1"));
        app.Connector.FailNext("POST", 429, retryAfterSeconds: 1);

        var sentBefore = app.Connector.Calls.Count;
        var dispatch = app.DispatchAsync();

        // The throttled attempt arrives; the retry waits on the bot's clock for the Retry-After second.
        await app.Connector.WaitForCallsAsync(sentBefore + 1);
        await Task.Delay(200);
        Assert.False(dispatch.IsCompleted, "The send finished without waiting for Retry-After.");
        Assert.Equal(sentBefore + 1, app.Connector.Calls.Count);

        app.Clock.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(200);
        Assert.Equal(sentBefore + 1, app.Connector.Calls.Count);

        app.Clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, await dispatch.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(CheckInStatus.InProgress, (await app.Store.GetCheckInAsync("PO-429-1", default))!.Status);
        Assert.Equal(2, app.CallsTo(user).Count(c => c.Method == "POST" && c.Path.EndsWith("/activities", StringComparison.Ordinal)));
    }

    private static string Person(TeamsUser user) => $"msteams:{user.UserId}";
}
