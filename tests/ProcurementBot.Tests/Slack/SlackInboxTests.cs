using Microsoft.Data.Sqlite;
using ProcurementBot.CheckIns;
using ProcurementBot.Slack;
using ProcurementBot.Storage;

namespace ProcurementBot.Tests.Slack;

/// <summary>
/// The Slack inbox in the running bot: an event is stored before Slack hears "received", retries meanwhile are stored
/// once, a full inbox answers 503 and stores nothing, and a failed item is tried again with backoff and set aside after
/// too many failures without holding back the person's next message.
/// </summary>
public sealed class SlackInboxTests
{
    [Fact]
    public async Task An_event_is_stored_before_it_is_acknowledged_and_retries_meanwhile_are_stored_and_handled_once()
    {
        await using var app = await InboxBotApp.StartAsync();
        var member = app.Slack.AddMember(new SlackMember("U0INBOX1", "ines.inbox@contoso.com", "Ines Inbox"));
        var held = app.Slack.HoldAsync("users.info");
        var hello = SlackPayloads.DirectMessage(member, "hello");

        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(hello)).StatusCode);
        await held.WaitAsync(TimeSpan.FromSeconds(10));

        // Acknowledged and being worked: it is in the store, so a crash now would not lose it.
        Assert.Equal(1, await app.Store.CountUnfinishedSlackItemsAsync(default));
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(hello, retryNum: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(hello, retryNum: 2)).StatusCode);
        Assert.Equal(1, await app.Store.CountUnfinishedSlackItemsAsync(default));

        app.Slack.ReleaseHeld();
        Assert.True(await app.WaitForSlackIdleAsync());

        Assert.Single(app.Slack.CallsOf("chat.postMessage"), c => c.Arg("channel") == SlackPayloads.DirectMessageOf(member));
        Assert.Single(app.Slack.CallsOf("users.info"));
        Assert.Equal(0, await app.Store.CountUnfinishedSlackItemsAsync(default));
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(hello, retryNum: 3)).StatusCode);
        Assert.True(await app.WaitForSlackIdleAsync());
        Assert.Single(app.Slack.CallsOf("chat.postMessage"), c => c.Arg("channel") == SlackPayloads.DirectMessageOf(member));
    }

    [Fact]
    public async Task A_full_inbox_answers_503_stores_nothing_for_it_and_takes_Slacks_retry_once_there_is_room()
    {
        await using var app = await InboxBotApp.StartAsync(new KeyValuePair<string, string?>("Slack:Inbox:Capacity", "2"));
        var members = Enumerable.Range(1, 3).Select(i => app.Slack.AddMember(new SlackMember($"U0FULL{i}", $"full{i}@contoso.com", $"Fay Full{i}"))).ToList();
        var held = app.Slack.HoldAsync("users.info");

        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(SlackPayloads.DirectMessage(members[0], "hello"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(SlackPayloads.DirectMessage(members[1], "hello"))).StatusCode);
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        var third = SlackPayloads.DirectMessage(members[2], "hello");
        var refused = await app.PostEventAsync(third);

        var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Slack will retry", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, await app.Store.CountUnfinishedSlackItemsAsync(default));

        app.Slack.ReleaseHeld();
        Assert.True(await app.WaitForSlackIdleAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(third, retryNum: 1)).StatusCode);
        Assert.True(await app.WaitForSlackIdleAsync());
        foreach (var member in members)
        {
            Assert.Single(app.Slack.CallsOf("chat.postMessage"), c => c.Arg("channel") == SlackPayloads.DirectMessageOf(member));
        }
    }

    [Fact]
    public async Task A_failed_item_is_tried_again_after_a_backoff_and_succeeds()
    {
        await using var app = await InboxBotApp.StartAsync();
        var member = app.Slack.AddMember(new SlackMember("U0RETRY9", "rhea.retry@contoso.com", "Rhea Retry"));
        app.Slack.FailNext("chat.postMessage", status: 500);

        await app.PostEventAsync(SlackPayloads.DirectMessage(member, "help"));
        var start = app.Clock.GetUtcNow();
        Assert.True(await app.WaitForSlackIdleAsync());

        var dm = SlackPayloads.DirectMessageOf(member);
        Assert.Equal(2, app.Slack.CallsOf("chat.postMessage").Count(c => c.Arg("channel") == dm));
        Assert.Single(app.Slack.MessagesIn(dm));
        Assert.True(app.Clock.GetUtcNow() - start >= SlackInbox.RetryDelay(1), "the second try waits for the backoff");
    }

    [Fact]
    public async Task An_item_Slack_refuses_every_time_is_set_aside_with_its_payload_and_the_persons_next_message_is_answered()
    {
        await using var app = await InboxBotApp.StartAsync(new KeyValuePair<string, string?>("Slack:Inbox:MaxAttempts", "2"));
        var member = app.Slack.AddMember(new SlackMember("U0ASIDE1", "ari.aside@contoso.com", "Ari Aside"));
        app.Slack.FailNext("chat.postMessage", error: "invalid_blocks");
        app.Slack.FailNext("chat.postMessage", error: "invalid_blocks");
        var help = SlackPayloads.DirectMessage(member, "help");

        await app.PostEventAsync(help);
        await app.PostEventAsync(SlackPayloads.DirectMessage(member, "hello"));
        Assert.True(await app.WaitForSlackIdleAsync());

        // Two refused tries of "help", then "hello", which had waited its turn, is answered.
        var dm = SlackPayloads.DirectMessageOf(member);
        Assert.Equal(3, app.Slack.CallsOf("chat.postMessage").Count(c => c.Arg("channel") == dm));
        Assert.Single(app.Slack.MessagesIn(dm));
        Assert.Equal(0, await app.Store.CountUnfinishedSlackItemsAsync(default));
        var aside = await StoredItemAsync(app, help);
        Assert.Equal((true, true, 2, 2, "SlackApiException"), (aside!.Done, aside.SetAside, aside.Failures, aside.Faults, aside.LastError));
        Assert.Contains("help", aside.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outage_is_outlived_however_many_tries_it_takes_within_RetryFor()
    {
        await using var app = await InboxBotApp.StartAsync(new KeyValuePair<string, string?>("Slack:Inbox:MaxAttempts", "1"));
        var member = app.Slack.AddMember(new SlackMember("U0OUTAGE", "otis.outage@contoso.com", "Otis Outage"));
        app.Slack.FailNext("chat.postMessage", status: 503);
        app.Slack.FailNext("chat.postMessage", error: "internal_error");
        var help = SlackPayloads.DirectMessage(member, "help");

        await app.PostEventAsync(help);
        Assert.True(await app.WaitForSlackIdleAsync());

        // Slack failed twice for passing reasons: more than MaxAttempts, which counts only failures retrying won't cure.
        var dm = SlackPayloads.DirectMessageOf(member);
        Assert.Equal(3, app.Slack.CallsOf("chat.postMessage").Count(c => c.Arg("channel") == dm));
        Assert.Single(app.Slack.MessagesIn(dm));
        var done = await StoredItemAsync(app, help);
        Assert.Equal((true, false, 2, 0, ""), (done!.Done, done.SetAside, done.Failures, done.Faults, done.Payload));
    }

    [Fact]
    public async Task An_outage_longer_than_RetryFor_sets_the_item_aside()
    {
        await using var app = await InboxBotApp.StartAsync(new KeyValuePair<string, string?>("Slack:Inbox:RetryFor", "00:01:00"));
        var member = app.Slack.AddMember(new SlackMember("U0LONGER", "lena.longer@contoso.com", "Lena Longer"));
        for (var i = 0; i < 10; i++)
        {
            app.Slack.FailNext("chat.postMessage", status: 500);
        }

        var help = SlackPayloads.DirectMessage(member, "help");
        await app.PostEventAsync(help);
        await app.Slack.WaitForAsync("chat.postMessage", 1, TimeSpan.FromSeconds(10));
        var failedOnce = await WaitForAsync(async () => await StoredItemAsync(app, help) is { Failures: 1 } item ? item : null);
        Assert.False(failedOnce.Done);

        // Its retry comes two minutes after it came, past RetryFor: that failure sets it aside.
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await app.WaitForSlackIdleAsync());
        var aside = await StoredItemAsync(app, help);
        Assert.Equal((true, true, 2, 0), (aside!.Done, aside.SetAside, aside.Failures, aside.Faults));
        Assert.Equal(2, app.Slack.CallsOf("chat.postMessage").Count(c => c.Arg("channel") == SlackPayloads.DirectMessageOf(member)));
    }

    [Fact]
    public async Task A_handler_that_outlives_its_time_is_stopped_before_its_lease_ends_and_the_item_tried_again()
    {
        await using var app = await InboxBotApp.StartAsync(new KeyValuePair<string, string?>("Slack:Inbox:LeaseDuration", "00:00:40"));
        var member = app.Slack.AddMember(new SlackMember("U0SLOWLY", "sol.slowly@contoso.com", "Sol Slowly"));
        var held = app.Slack.HoldAsync("users.info");
        var help = SlackPayloads.DirectMessage(member, "help");
        await app.PostEventAsync(help);
        await held.WaitAsync(TimeSpan.FromSeconds(10));

        // Three quarters of the lease on, the handler is stopped and its failure recorded while the lease still holds.
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        var stopped = await WaitForAsync(async () => await StoredItemAsync(app, help) is { Failures: 1 } item ? item : null);
        Assert.Equal((1, "Timeout", (string?)null), (stopped.Faults, stopped.LastError, stopped.LeaseOwner));
        app.Slack.ReleaseHeld();
        Assert.True(await app.WaitForSlackIdleAsync());

        Assert.Equal(2, app.Slack.CallsOf("users.info").Count);
        Assert.Single(app.Slack.MessagesIn(SlackPayloads.DirectMessageOf(member)));
    }

    [Fact]
    public async Task An_item_whose_lease_keeps_running_out_is_set_aside_without_being_run_again()
    {
        await using var app = await InboxBotApp.StartAsync(new KeyValuePair<string, string?>("Slack:Inbox:MaxAttempts", "3"));
        var member = app.Slack.AddMember(new SlackMember("U0CRASHY", "cy.crashy@contoso.com", "Cy Crashy"));

        // Two instances died holding it already, and a third holds it as this one starts looking: it brings its worker down.
        var payload = SlackPayloads.DirectMessage(member, "help");
        var now = app.Clock.GetUtcNow();
        var crashing = new SlackItem("event:" + payload["event_id"]!.GetValue<string>(), SlackItemKind.Event, member.Id, 1, payload.ToJsonString(), now)
        {
            NextAttemptAt = now,
            Lapses = 2,
            LeaseOwner = "crashed-instance",
            LeaseUntil = now + TimeSpan.FromSeconds(30),
        };
        Assert.True(await app.Store.TryAddSlackItemAsync(crashing, default));

        var aside = await WaitForAsync(async () =>
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            return await StoredItemAsync(app, payload) is { Done: true } item ? item : null;
        });
        Assert.Equal((true, 3, "LeaseLapsed"), (aside.SetAside, aside.Lapses, aside.LastError));
        Assert.Empty(app.Slack.CallsOf("users.info"));
        Assert.Empty(app.Slack.CallsOf("chat.postMessage"));
    }

    [Fact]
    public async Task Stopping_gives_the_item_being_worked_back_to_the_store_without_counting_a_lapse()
    {
        var app = await InboxBotApp.StartAsync(new KeyValuePair<string, string?>("Slack:Inbox:LeaseDuration", "00:10:00"));
        var member = app.Slack.AddMember(new SlackMember("U0STOPPD", "stef.stopped@contoso.com", "Stef Stopped"));
        var held = app.Slack.HoldAsync("users.info");
        var help = SlackPayloads.DirectMessage(member, "help");
        await app.PostEventAsync(help);
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        var databaseFile = app.DatabaseFile;

        using (var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await app.Services.GetRequiredService<SlackInbox>().StopAsync(stop.Token);
        }

        var givenBack = await WaitForAsync(async () => await StoredItemAsync(databaseFile, help) is { LeaseOwner: null } item ? item : null);
        Assert.Equal((false, 0, 0, 0), (givenBack.Done, givenBack.Failures, givenBack.Lapses, givenBack.Faults));
        app.Slack.ReleaseHeld();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task A_persons_answers_reaching_two_instances_on_one_store_are_worked_in_the_order_typed()
    {
        await using var first = await InboxBotApp.StartAsync();
        await using var second = await InboxBotApp.StartAsync(first.DatabaseFile);
        var member = new SlackMember("U0ORDER1", "otto.order@contoso.com", "Otto Order");
        first.Slack.AddMember(member);
        second.Slack.AddMember(member);
        await first.PostPurchasesAsync(BotApp.Purchase(member.Email, "PO-SLK-ORDER", "office-supplies"));
        await first.DispatchSlackAsync();

        // "4" reaches the first instance, which is slow to look the person up again (a day on, their profile is read
        // anew before the answer is stored); "yes" reaches the second meanwhile.
        first.Clock.Advance(TimeSpan.FromHours(25));
        var held = first.Slack.HoldAsync("users.info");
        Assert.Equal(HttpStatusCode.OK, (await first.PostEventAsync(SlackPayloads.DirectMessage(member, "4"))).StatusCode);
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        // Instances order a person's items by the time each received them: the second's clock reads a second later.
        second.Clock.SetUtcNow(first.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await second.PostEventAsync(SlackPayloads.DirectMessage(member, "yes"))).StatusCode);

        // A wrong order would answer the rating with "yes" now; the outcome below shows whether it did.
        await Task.Delay(200);
        first.Slack.ReleaseHeld();
        await first.AdvancingAsync(second.AdvancingAsync(WaitForEmptyInboxAsync(first)));
        var said = string.Join(" | ", first.Slack.CallsOf("chat.postMessage").Concat(second.Slack.CallsOf("chat.postMessage")).Select(c => c.Arg("text")));

        var done = await first.Store.GetCheckInAsync("PO-SLK-ORDER", default);
        Assert.True(done!.Answers.Count == 2, said);
        Assert.Equal(["overall:4", "onTime:yes"], done.Answers.Select(a => $"{a.QuestionId}:{a.Value}"));
        Assert.Equal(CheckInStatus.Completed, done.Status);
        Assert.Equal(0, await second.Store.CountUnfinishedSlackItemsAsync(default));
    }

    private static Task<SlackItem?> StoredItemAsync(BotApp app, System.Text.Json.Nodes.JsonObject envelope) => StoredItemAsync(app.DatabaseFile, envelope);

    /// <summary>The stored item of an event, read from the bot's SQLite file as the store wrote it.</summary>
    private static async Task<SlackItem?> StoredItemAsync(string databaseFile, System.Text.Json.Nodes.JsonObject envelope)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT doc FROM slack_inbox WHERE id = $id;";
        read.Parameters.AddWithValue("$id", "event:" + envelope["event_id"]!.GetValue<string>());
        return await read.ExecuteScalarAsync() is string doc ? StoreJson.Deserialize<SlackItem>(doc) : null;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> found)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (await found() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "What the test waited for did not happen within 20 seconds.");
            await Task.Delay(20);
        }
    }

    private static async Task<bool> WaitForEmptyInboxAsync(BotApp app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await app.Store.CountUnfinishedSlackItemsAsync(default) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The Slack inbox did not empty.");
            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>The Slack bot with more settings, started (a fixture per test: each needs its own inbox settings).</summary>
    private sealed class InboxBotApp : SlackBotApp
    {
        private readonly KeyValuePair<string, string?>[] _settings;

        private InboxBotApp(KeyValuePair<string, string?>[] settings) => _settings = settings;

        private InboxBotApp(string databaseFile)
            : base(databaseFile) => _settings = [];

        protected override IEnumerable<KeyValuePair<string, string?>> SlackSettings => _settings;

        public static Task<InboxBotApp> StartAsync(params KeyValuePair<string, string?>[] settings) => StartAsync(new InboxBotApp(settings));

        /// <summary>A second instance on the store of a first.</summary>
        public static Task<InboxBotApp> StartAsync(string databaseFile) => StartAsync(new InboxBotApp(databaseFile));

        private static async Task<InboxBotApp> StartAsync(InboxBotApp app)
        {
            await app.InitializeAsync();
            _ = app.Services;
            return app;
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            // The connector stand-in and the database file, which a class fixture's lifetime would remove.
            await ((IAsyncLifetime)this).DisposeAsync();
        }
    }
}
