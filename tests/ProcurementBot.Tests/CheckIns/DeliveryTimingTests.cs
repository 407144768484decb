using System.Globalization;
using ProcurementBot.CheckIns;
using ProcurementBot.Rollups;

namespace ProcurementBot.Tests.CheckIns;

/// <summary>The bot on a clock that starts at a known Monday morning (UTC), with short reminder settings.</summary>
public sealed class TimingBotApp : BotApp
{
    public static readonly DateTimeOffset Monday = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("CheckIns:DefaultTimeZone", "UTC"),
        new("CheckIns:ReminderAfter", "1.00:00:00"),
        new("CheckIns:MaxReminders", "1"),
        new("CheckIns:ExpireAfter", "3.00:00:00"),
        new("CheckIns:MaxPerPersonPerWeek", "2"),
    ];

    public TimingBotApp()
        : base(Monday)
    {
    }
}

/// <summary>
/// When check-ins go out and what happens when nobody answers, on a controlled clock: working hours in the
/// requester's time zone, an explicit time honoured exactly, reminders, expiry, one open check-in per person
/// at a time, the weekly cap, and opting out and in.
/// </summary>
public sealed class DeliveryTimingTests : IAsyncLifetime
{
    private readonly TimingBotApp _app = new();
    private TeamsUser _user = null!;

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        _user = await InstallInUtcAsync("Pradeep Gupta");
    }

    /// <summary>A user whose Teams client reports UTC (the test activities otherwise say America/Los_Angeles).</summary>
    private async Task<TeamsUser> InstallInUtcAsync(string name)
    {
        var user = new TeamsUser(name, $"{name.Split(' ')[0].ToLowerInvariant()}.{Guid.NewGuid():N}@contoso.com");
        _app.Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);
        (await SendAsync(TeamsActivities.Installed(user, _app.Connector.ServiceUrl))).EnsureSuccessStatusCode();
        return user;
    }

    /// <summary>Every activity of these users comes from a client in UTC, so working hours are those of the test's clock.</summary>
    private Task<HttpResponseMessage> SendAsync(System.Text.Json.Nodes.JsonObject activity) => _app.SendAsync(TeamsActivities.InZone(activity, "Etc/UTC"));

    public async Task DisposeAsync() => await ((IAsyncLifetime)_app).DisposeAsync();

    private DateTimeOffset Now => _app.Clock.GetUtcNow();

    [Fact]
    public async Task A_check_in_due_at_night_waits_for_the_morning_and_one_due_on_a_weekend_for_Monday()
    {
        // Due Monday 08:00 UTC, an hour before the working day starts.
        await PurchaseAsync("PO-NIGHT", dueIn: TimeSpan.Zero);
        await _app.DispatchAsync();

        var held = await CheckInAsync("PO-NIGHT");
        Assert.Equal((CheckInStatus.Scheduled, TimingBotApp.Monday.AddHours(1), PendingCheckIns.Holds.OutsideWorkingHours), (held.Status, held.DueAt, held.HeldBack));
        Assert.Empty(Cards());

        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(1));
        await _app.DispatchAsync();
        Assert.Single(Cards());
        Assert.Null((await CheckInAsync("PO-NIGHT")).HeldBack);

        // Friday 17:30 UTC: after hours, so Monday 09:00.
        await AnswerAsync("PO-NIGHT");
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 11, 17, 30, 0, TimeSpan.Zero));
        await PurchaseAsync("PO-WEEKEND", dueIn: TimeSpan.Zero);
        await _app.DispatchAsync();
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 9, 0, 0, TimeSpan.Zero), (await CheckInAsync("PO-WEEKEND")).DueAt);
    }

    [Fact]
    public async Task Working_hours_are_the_requesters_own_in_their_time_zone()
    {
        var person = (await _app.Store.FindPersonByAddressAsync(_user.Email.ToLowerInvariant(), default))!;
        await _app.Store.UpsertPersonAsync(person with { TimeZone = "Asia/Tokyo" }, default);

        // Monday 08:00 UTC is 17:00 in Tokyo: the working day there has just ended, so Tuesday 09:00 Tokyo (00:00 UTC).
        await PurchaseAsync("PO-TOKYO", dueIn: TimeSpan.Zero);
        await _app.DispatchAsync();
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero), (await CheckInAsync("PO-TOKYO")).DueAt);

        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero));
        await _app.DispatchAsync();
        Assert.Single(Cards());
    }

    [Fact]
    public async Task An_explicit_check_in_time_is_honoured_exactly_at_night_on_a_weekend_and_beyond_the_cap()
    {
        var sunday = new DateTimeOffset(2026, 12, 13, 2, 15, 0, TimeSpan.Zero);
        foreach (var id in new[] { "PO-X1", "PO-X2", "PO-X3" })
        {
            (await _app.PostPurchasesAsync(Purchase(id, checkInAt: sunday))).EnsureSuccessStatusCode();
        }

        _app.Clock.SetUtcNow(sunday.AddMilliseconds(-1));
        Assert.Equal(0, await _app.DispatchAsync());
        _app.Clock.SetUtcNow(sunday);
        await _app.DispatchAsync();

        Assert.Equal(3, Cards().Count);
        foreach (var id in new[] { "PO-X1", "PO-X2", "PO-X3" })
        {
            var sent = await CheckInAsync(id);
            Assert.Equal((CheckInStatus.InProgress, (DateTimeOffset?)sunday, sunday), (sent.Status, sent.SentAt, sent.DueAt));
        }
    }

    [Fact]
    public async Task An_unanswered_check_in_is_reminded_once_in_working_hours_then_expires_and_counts_as_unanswered()
    {
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2));
        await PurchaseAsync("PO-QUIET", dueIn: TimeSpan.Zero);
        await _app.DispatchAsync();
        var sent = await CheckInAsync("PO-QUIET");
        Assert.Equal(Now.AddDays(1), sent.NudgeAt);

        _app.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMilliseconds(1));
        await _app.DispatchAsync();
        Assert.Single(Cards());

        _app.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await _app.DispatchAsync();
        var cards = Cards();
        Assert.Equal(2, cards.Count);
        Assert.Contains("reminder", cards[1].Visible, StringComparison.OrdinalIgnoreCase);
        var reminded = await CheckInAsync("PO-QUIET");
        Assert.Equal((1, CheckInStatus.InProgress, (DateTimeOffset?)sent.SentAt!.Value.AddDays(3)), (reminded.RemindersSent, reminded.Status, reminded.NudgeAt));

        // No second reminder; at three days after sending it expires, recorded as such and in the results.
        _app.Clock.SetUtcNow(sent.SentAt.Value.AddDays(3));
        await _app.DispatchAsync();
        Assert.Equal(2, Cards().Count);
        var expired = await CheckInAsync("PO-QUIET");
        Assert.Equal((CheckInStatus.Expired, (DateTimeOffset?)null, (DateTimeOffset?)null), (expired.Status, expired.NudgeAt, expired.CompletedAt));
        var rollup = (await Rollups().GetCategoryAsync("laptops", Rollup.MonthOf(Now), default))!;
        Assert.Equal((1, 0, 1, 0.0), (rollup.Sent, rollup.Responses, rollup.Expired, rollup.ResponseRate));

        _app.Clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await _app.DispatchAsync());
    }

    [Fact]
    public async Task A_reminder_due_at_night_waits_for_the_morning_and_an_answered_check_in_is_never_reminded()
    {
        var friday = new DateTimeOffset(2026, 12, 11, 16, 30, 0, TimeSpan.Zero);
        _app.Clock.SetUtcNow(friday);
        await PurchaseAsync("PO-LATE", dueIn: TimeSpan.Zero);
        var lynne = await InstallInUtcAsync("Lynne Robbins");
        await PurchaseAsync("PO-FAST", dueIn: TimeSpan.Zero, email: lynne.Email);
        await _app.DispatchAsync();

        // Sent Friday 16:30; a day later is Saturday, so the reminder waits for Monday 09:00.
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 9, 0, 0, TimeSpan.Zero), (await CheckInAsync("PO-LATE")).NudgeAt);
        var fast = await CheckInAsync("PO-FAST");
        await SendAsync(TeamsActivities.Submit(lynne, _app.Connector.ServiceUrl, fast.CardMessageId!,
            TeamsActivities.Answers("PO-FAST", ("overall", "5"), ("onTime", "yes"))));
        Assert.Equal(CheckInStatus.Completed, (await CheckInAsync("PO-FAST")).Status);

        _app.Clock.Advance(TimeSpan.FromDays(10));
        await _app.DispatchAsync();
        Assert.Equal(0, (await CheckInAsync("PO-FAST")).RemindersSent);
        Assert.Equal(CheckInStatus.Expired, (await CheckInAsync("PO-LATE")).Status);
    }

    [Fact]
    public async Task Purchases_delivered_together_are_asked_one_after_the_other_not_as_a_burst()
    {
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2));
        await PurchaseAsync("PO-A", dueIn: TimeSpan.Zero);
        await PurchaseAsync("PO-B", dueIn: TimeSpan.Zero);
        await _app.DispatchAsync();

        Assert.Contains("One more delivery after this one.", Assert.Single(Cards()).Visible, StringComparison.Ordinal);
        var (first, second) = (await CheckInAsync("PO-A"), await CheckInAsync("PO-B"));
        var (open, waiting) = first.Status == CheckInStatus.InProgress ? (first, second) : (second, first);
        Assert.Equal((CheckInStatus.Scheduled, PendingCheckIns.Holds.BehindOpenCheckIn, open.NudgeAt!.Value), (waiting.Status, waiting.HeldBack, waiting.DueAt));

        // Answering the first releases the second at once.
        await AnswerAsync(open.Id);
        Assert.Equal(Now, (await CheckInAsync(waiting.Id)).DueAt);
        await _app.DispatchAsync();
        Assert.Equal(2, Cards().Count);
        Assert.Equal(CheckInStatus.InProgress, (await CheckInAsync(waiting.Id)).Status);
    }

    [Fact]
    public async Task A_typed_answer_retried_after_it_finished_one_check_in_is_not_stored_on_the_one_it_released()
    {
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2));
        await PurchaseAsync("PO-A", dueIn: TimeSpan.Zero);
        await PurchaseAsync("PO-B", dueIn: TimeSpan.Zero);
        await _app.DispatchAsync();
        var (first, second) = (await CheckInAsync("PO-A"), await CheckInAsync("PO-B"));
        var (open, waiting) = first.Status == CheckInStatus.InProgress ? (first, second) : (second, first);

        // Typed, one question at a time; the last ("1": the first choice) finishes it and releases the other.
        (await SendAsync(TeamsActivities.Message(_user, _app.Connector.ServiceUrl, "4"))).EnsureSuccessStatusCode();
        (await SendAsync(TeamsActivities.Message(_user, _app.Connector.ServiceUrl, "yes"))).EnsureSuccessStatusCode();
        var last = TeamsActivities.Message(_user, _app.Connector.ServiceUrl, "1", id: "typed-last-answer");
        (await SendAsync(last)).EnsureSuccessStatusCode();
        Assert.Equal(CheckInStatus.Completed, (await CheckInAsync(open.Id)).Status);
        await _app.DispatchAsync();
        Assert.Equal(CheckInStatus.InProgress, (await CheckInAsync(waiting.Id)).Status);

        // The channel retries the last answer (its 200 was lost): "1" would be a 1-star rating of the other purchase.
        (await SendAsync(last)).EnsureSuccessStatusCode();

        Assert.Empty((await CheckInAsync(waiting.Id)).Answers);
        Assert.Equal(3, (await CheckInAsync(open.Id)).Answers.Count);
    }

    [Fact]
    public async Task Beyond_the_weekly_cap_check_ins_wait_until_the_oldest_send_is_a_week_old()
    {
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2));
        foreach (var id in new[] { "PO-1", "PO-2", "PO-3" })
        {
            await PurchaseAsync(id, dueIn: TimeSpan.Zero);
            await _app.DispatchAsync();
            if ((await CheckInAsync(id)).Status == CheckInStatus.InProgress)
            {
                await AnswerAsync(id);
            }

            _app.Clock.Advance(TimeSpan.FromHours(1));
        }

        var capped = await CheckInAsync("PO-3");
        Assert.Equal((CheckInStatus.Scheduled, PendingCheckIns.Holds.WeeklyCap), (capped.Status, capped.HeldBack));
        Assert.Equal(TimingBotApp.Monday.AddHours(2).AddDays(7), capped.DueAt);
        Assert.Equal(2, Cards().Count);

        _app.Clock.SetUtcNow(capped.DueAt);
        await _app.DispatchAsync();
        Assert.Equal(CheckInStatus.InProgress, (await CheckInAsync("PO-3")).Status);
    }

    [Fact]
    public async Task Opting_out_skips_pending_check_ins_at_once_with_the_reason_and_opting_in_resumes_recent_ones()
    {
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2));
        await PurchaseAsync("PO-OPEN", dueIn: TimeSpan.Zero);
        await _app.DispatchAsync();
        await PurchaseAsync("PO-LATER", dueIn: TimeSpan.FromDays(1));

        await SendAsync(TeamsActivities.Message(_user, _app.Connector.ServiceUrl, "opt out"));

        foreach (var id in new[] { "PO-OPEN", "PO-LATER" })
        {
            var skipped = await CheckInAsync(id);
            Assert.Equal(CheckInStatus.OptedOut, skipped.Status);
            Assert.Contains("opted out on 2026-12-07", skipped.LastError, StringComparison.Ordinal);
        }

        var person = (await _app.Store.FindPersonByAddressAsync(_user.Email.ToLowerInvariant(), default))!;
        Assert.Equal((true, (DateTimeOffset?)Now), (person.OptedOut, person.OptedOutChangedAt));
        Assert.Contains("dropped the 2 still open", _app.CallsTo(_user)[^1].Visible, StringComparison.Ordinal);
        _app.Clock.Advance(TimeSpan.FromDays(1));
        await _app.DispatchAsync();
        Assert.Single(Cards());

        // Opting in again: the one never sent is asked now; the one already sent stays closed.
        await SendAsync(TeamsActivities.Message(_user, _app.Connector.ServiceUrl, "opt in"));
        Assert.Equal((CheckInStatus.Scheduled, Now), ((await CheckInAsync("PO-LATER")).Status, (await CheckInAsync("PO-LATER")).DueAt));
        Assert.Equal(CheckInStatus.OptedOut, (await CheckInAsync("PO-OPEN")).Status);
        await _app.DispatchAsync();
        Assert.Equal(2, Cards().Count);
    }

    [Fact]
    public async Task A_check_in_whose_sender_died_mid_send_is_sent_by_another_instance_once_the_lease_ends()
    {
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2));
        await PurchaseAsync("PO-CRASH", dueIn: TimeSpan.Zero);
        var lease = TimeSpan.FromMinutes(2);
        Assert.Single(await _app.Store.ClaimDueCheckInsAsync(Now, "instance-that-died", Now + lease, 10, default));

        Assert.Equal(0, await _app.DispatchAsync());
        _app.Clock.Advance(lease);
        Assert.Equal(1, await _app.DispatchAsync());

        Assert.Single(Cards());
        Assert.Equal(CheckInStatus.InProgress, (await CheckInAsync("PO-CRASH")).Status);
    }

    [Fact]
    public async Task A_send_that_keeps_failing_backs_off_further_each_time_and_is_set_aside_after_the_last_attempt()
    {
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2));
        await PurchaseAsync("PO-FLAKY", dueIn: TimeSpan.Zero);
        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            _app.Connector.FailNext("POST", 400, "BadSyntax");
            var before = Now;
            Assert.Equal(1, await _app.DispatchAsync());
            var failed = await CheckInAsync("PO-FLAKY");
            Assert.Equal((attempt, "BadSyntax"), (failed.SendAttempts, failed.LastError!.Contains("BadSyntax", StringComparison.Ordinal) ? "BadSyntax" : failed.LastError));
            if (failed.Status == CheckInStatus.Failed)
            {
                break;
            }

            waits.Add(failed.DueAt - before);
            Assert.Equal(0, await _app.DispatchAsync());
            _app.Clock.SetUtcNow(failed.DueAt);
        }

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240)], waits);
        Assert.Equal((CheckInStatus.Failed, 5), ((await CheckInAsync("PO-FLAKY")).Status, (await CheckInAsync("PO-FLAKY")).SendAttempts));
        _app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await _app.DispatchAsync());
        Assert.Equal(5, Cards().Count);
    }

    [Fact]
    public async Task When_an_open_check_in_expires_the_one_held_behind_it_goes_out()
    {
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2));
        await PurchaseAsync("PO-FIRST", dueIn: TimeSpan.Zero);
        await _app.DispatchAsync();
        await PurchaseAsync("PO-NEXT", dueIn: TimeSpan.Zero);
        await _app.DispatchAsync();
        Assert.Equal(PendingCheckIns.Holds.BehindOpenCheckIn, (await CheckInAsync("PO-NEXT")).HeldBack);

        // The reminder (a day later) and the expiry (three days after sending) of the first come before the second.
        _app.Clock.Advance(TimeSpan.FromDays(1));
        await _app.DispatchAsync();
        Assert.Equal(CheckInStatus.Scheduled, (await CheckInAsync("PO-NEXT")).Status);
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2).AddDays(3));
        await _app.DispatchAsync();
        await _app.DispatchAsync();

        Assert.Equal(CheckInStatus.Expired, (await CheckInAsync("PO-FIRST")).Status);
        Assert.Equal(CheckInStatus.InProgress, (await CheckInAsync("PO-NEXT")).Status);
    }

    [Fact]
    public async Task A_question_sets_own_timing_decides_its_hours_its_reminders_and_its_expiry()
    {
        var seeded = (await _app.Store.GetCurrentQuestionSetsAsync(default)).Single(q => q.Id == "it-hardware");
        await _app.Store.AddQuestionSetVersionAsync(seeded with
        {
            Id = "night-lab",
            Name = "Night lab",
            Categories = ["night-lab"],
            IsDefault = false,
            Timing = new()
            {
                WorkingHours = new() { Start = new TimeOnly(20, 0), End = new TimeOnly(23, 0), Days = [DayOfWeek.Monday, DayOfWeek.Tuesday] },
                MaxReminders = 0,
                ExpireAfterHours = 24,
            },
        }, default);
        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(2));
        (await _app.PostPurchasesAsync(new
        {
            purchaseId = "PO-LAB",
            requesterEmail = _user.Email,
            supplier = "Thermo",
            category = "night-lab",
            description = "Centrifuge",
            deliveredAt = Now.AddHours(-72).ToString("O", CultureInfo.InvariantCulture),
        })).EnsureSuccessStatusCode();

        await _app.DispatchAsync();
        Assert.Equal(TimingBotApp.Monday.AddHours(12), (await CheckInAsync("PO-LAB")).DueAt);

        _app.Clock.SetUtcNow(TimingBotApp.Monday.AddHours(12));
        await _app.DispatchAsync();
        var sent = await CheckInAsync("PO-LAB");
        Assert.Equal((CheckInStatus.InProgress, (DateTimeOffset?)Now.AddHours(24)), (sent.Status, sent.NudgeAt));

        _app.Clock.Advance(TimeSpan.FromHours(24));
        await _app.DispatchAsync();
        Assert.Equal((CheckInStatus.Expired, 0), ((await CheckInAsync("PO-LAB")).Status, (await CheckInAsync("PO-LAB")).RemindersSent));
        Assert.Single(Cards());
    }

    private object Purchase(string id, DateTimeOffset? checkInAt = null, DateTimeOffset? deliveredAt = null, string? email = null) => new
    {
        purchaseId = id,
        requesterEmail = email ?? _user.Email,
        supplier = "Dell",
        category = "laptops",
        description = "Latitude 7450 laptop",
        deliveredAt = (deliveredAt ?? Now.AddDays(-3)).ToString("O", CultureInfo.InvariantCulture),
        checkInAt = checkInAt?.ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>A purchase whose check-in the question set makes due <paramref name="dueIn"/> from now (IT hardware asks 72 hours after delivery).</summary>
    private async Task PurchaseAsync(string id, TimeSpan dueIn, string? email = null) =>
        (await _app.PostPurchasesAsync(Purchase(id, deliveredAt: Now + dueIn - TimeSpan.FromHours(72), email: email))).EnsureSuccessStatusCode();

    private async Task AnswerAsync(string id)
    {
        var checkIn = await CheckInAsync(id);
        (await SendAsync(TeamsActivities.Submit(_user, _app.Connector.ServiceUrl, checkIn.CardMessageId!, TeamsActivities.Answers(id, ("overall", "5"), ("onTime", "yes"))))).EnsureSuccessStatusCode();
        Assert.Equal(CheckInStatus.Completed, (await CheckInAsync(id)).Status);
    }

    private async Task<CheckIn> CheckInAsync(string id) => (await _app.Store.GetCheckInAsync(id, default))!;

    private List<ConnectorCall> Cards() => [.. _app.CallsTo(_user).Where(c => c.Card is not null && c.Method == "POST")];

    private ResultRollups Rollups() => (ResultRollups)_app.Services.GetService(typeof(ResultRollups))!;
}
