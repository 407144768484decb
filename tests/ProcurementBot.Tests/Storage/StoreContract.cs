using ProcurementBot.Admin;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;
using ProcurementBot.Rollups;
using ProcurementBot.Storage;

namespace ProcurementBot.Tests.Storage;

/// <summary>
/// What every <see cref="IProcurementStore"/> must do, whatever it runs on. An adapter proves itself by
/// deriving one class that creates an empty store per test (xUnit makes a new instance per test).
/// Times are explicit; nothing sleeps.
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected IProcurementStore Store { get; private set; } = null!;

    /// <summary>A client on a new, empty store; the contract calls <see cref="IProcurementStore.InitializeAsync"/>.</summary>
    protected abstract Task<IProcurementStore> CreateStoreAsync();

    /// <summary>A second client on the same data as <see cref="Store"/>, as another bot instance would have.</summary>
    protected abstract Task<IProcurementStore> ConnectAgainAsync();

    /// <summary>Removes what <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task DeleteStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.InitializeAsync(default);
    }

    public Task DisposeAsync() => DeleteStoreAsync();

    // People

    [Fact]
    public async Task A_new_store_is_reachable_empty_and_can_be_initialized_again_without_losing_data()
    {
        Assert.True(await Store.PingAsync(default));
        Assert.Empty(await Store.GetCurrentQuestionSetsAsync(default));
        await Store.UpsertPersonAsync(Someone("msteams:1", "alice@contoso.com", T0), default);

        await Store.InitializeAsync(default);

        Assert.NotNull(await Store.GetPersonAsync("msteams:1", default));
    }

    [Fact]
    public async Task Unknown_people_and_addresses_are_null()
    {
        await Store.UpsertPersonAsync(Someone("msteams:1", "alice@contoso.com", T0), default);

        Assert.Null(await Store.GetPersonAsync("msteams:2", default));
        Assert.Null(await Store.FindPersonByAddressAsync("bob@contoso.com", default));
    }

    [Fact]
    public async Task A_person_round_trips_with_every_field()
    {
        var person = Someone("msteams:29:1abc", "Alice@Contoso.com", T0) with
        {
            UserPrincipalName = "alice.w@contoso.onmicrosoft.com",
            AadObjectId = "6f1b2c3d-0000-4000-8000-000000000001",
            TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ServiceUrl = "https://smba.trafficmanager.net/emea/",
            ConversationId = "a:1xyz",
            BotId = "28:bot",
            BotName = "ProcurementBot",
            Locale = "de-DE",
            OptedOut = true,
            FirstSeenAt = T0.AddDays(-10).ToOffset(TimeSpan.FromHours(1)),
        };

        await Store.UpsertPersonAsync(person, default);

        Assert.Equal(person, await Store.GetPersonAsync(person.Id, default));
    }

    [Fact]
    public async Task People_are_found_by_email_or_UPN_in_any_case()
    {
        var person = Someone("msteams:1", "Alice@Contoso.com", T0) with { UserPrincipalName = "alice.w@contoso.onmicrosoft.com" };
        await Store.UpsertPersonAsync(person, default);

        Assert.Equal(person.Id, (await Store.FindPersonByAddressAsync("alice@contoso.com", default))?.Id);
        Assert.Equal(person.Id, (await Store.FindPersonByAddressAsync("ALICE@CONTOSO.COM", default))?.Id);
        Assert.Equal(person.Id, (await Store.FindPersonByAddressAsync(" Alice.W@contoso.onmicrosoft.com ", default))?.Id);
    }

    [Fact]
    public async Task Upserting_replaces_the_person_and_the_addresses_they_are_found_by()
    {
        await Store.UpsertPersonAsync(Someone("msteams:1", "alice@contoso.com", T0), default);
        var renamed = Someone("msteams:1", "alice@fabrikam.com", T0.AddHours(1)) with { Name = "Alice Wong" };

        await Store.UpsertPersonAsync(renamed, default);

        Assert.Equal(renamed, await Store.GetPersonAsync("msteams:1", default));
        Assert.Null(await Store.FindPersonByAddressAsync("alice@contoso.com", default));
        Assert.Equal(renamed, await Store.FindPersonByAddressAsync("alice@fabrikam.com", default));
    }

    [Fact]
    public async Task An_address_shared_by_two_people_finds_the_one_seen_most_recently()
    {
        await Store.UpsertPersonAsync(Someone("msteams:1", "alice@contoso.com", T0), default);
        await Store.UpsertPersonAsync(Someone("slack:U1", "alice@contoso.com", T0.AddHours(1)), default);
        Assert.Equal("slack:U1", (await Store.FindPersonByAddressAsync("alice@contoso.com", default))?.Id);

        await Store.UpsertPersonAsync(Someone("msteams:1", "alice@contoso.com", T0.AddHours(2)), default);
        Assert.Equal("msteams:1", (await Store.FindPersonByAddressAsync("alice@contoso.com", default))?.Id);
    }

    // Question sets

    [Fact]
    public async Task A_question_set_version_round_trips_and_is_never_overwritten()
    {
        var set = Set("it-hardware", 1);

        Assert.True(await Store.AddQuestionSetVersionAsync(set, default));
        Assert.False(await Store.AddQuestionSetVersionAsync(set with { Name = "Changed" }, default));

        Assert.Equal(StoreJson.Serialize(set), StoreJson.Serialize(await Store.GetQuestionSetAsync("it-hardware", 1, default)));
        Assert.Null(await Store.GetQuestionSetAsync("it-hardware", 2, default));
        Assert.Null(await Store.GetQuestionSetAsync("services", 1, default));
    }

    [Fact]
    public async Task Current_sets_are_the_latest_version_of_each_ordered_by_id_and_old_versions_stay_readable()
    {
        await Store.AddQuestionSetVersionAsync(Set("services", 1), default);
        await Store.AddQuestionSetVersionAsync(Set("it-hardware", 1), default);
        await Store.AddQuestionSetVersionAsync(Set("it-hardware", 3) with { Name = "IT hardware v3" }, default);
        await Store.AddQuestionSetVersionAsync(Set("it-hardware", 2), default);

        var current = await Store.GetCurrentQuestionSetsAsync(default);

        Assert.Equal([("it-hardware", 3, "IT hardware v3"), ("services", 1, "services")], current.Select(s => (s.Id, s.Version, s.Name)));
        Assert.Equal(1, (await Store.GetQuestionSetAsync("it-hardware", 1, default))?.Version);
    }

    [Fact]
    public async Task A_sets_versions_come_oldest_first_and_only_its_own()
    {
        await Store.AddQuestionSetVersionAsync(Set("it-hardware", 2), default);
        await Store.AddQuestionSetVersionAsync(Set("it-hardware", 1), default);
        await Store.AddQuestionSetVersionAsync(Set("it-hardware-2", 1), default);

        Assert.Equal([1, 2], (await Store.GetQuestionSetVersionsAsync("it-hardware", default)).Select(s => s.Version));
        Assert.Empty(await Store.GetQuestionSetVersionsAsync("it", default));
    }

    [Fact]
    public async Task An_archived_set_leaves_the_current_ones_keeps_its_versions_and_comes_back_with_a_new_version()
    {
        await Store.AddQuestionSetVersionAsync(Set("services", 1), default);
        await Store.AddQuestionSetVersionAsync(Set("it-hardware", 1), default);
        await Store.AddQuestionSetVersionAsync(Set("it-hardware", 2), default);

        Assert.True(await Store.ArchiveQuestionSetAsync("it-hardware", default));
        Assert.True(await Store.ArchiveQuestionSetAsync("it-hardware", default));
        Assert.False(await Store.ArchiveQuestionSetAsync("unknown", default));

        Assert.Equal(["services"], (await Store.GetCurrentQuestionSetsAsync(default)).Select(s => s.Id));
        Assert.Equal([("it-hardware", 2)], (await Store.GetArchivedQuestionSetsAsync(default)).Select(s => (s.Id, s.Version)));
        Assert.NotNull(await Store.GetQuestionSetAsync("it-hardware", 1, default));
        Assert.Equal([1, 2], (await Store.GetQuestionSetVersionsAsync("it-hardware", default)).Select(s => s.Version));

        await Store.AddQuestionSetVersionAsync(Set("it-hardware", 3), default);

        Assert.Equal([("it-hardware", 3), ("services", 1)], (await Store.GetCurrentQuestionSetsAsync(default)).Select(s => (s.Id, s.Version)));
        Assert.Empty(await Store.GetArchivedQuestionSetsAsync(default));
    }

    // Check-ins

    [Fact]
    public async Task A_check_in_round_trips_with_an_etag()
    {
        var checkIn = CheckInFor("PO-1") with
        {
            Answers = [Answer.Of(Set("it-hardware", 1).Questions[0], new ParsedValue("4", 4), T0)],
            AppliedActivityIds = ["msteams|a:1|17"],
            PersonId = "msteams:1",
        };

        Assert.Equal(["PO-1"], await Store.AddCheckInsAsync([checkIn], default));

        var stored = await Store.GetCheckInAsync("PO-1", default);
        Assert.NotNull(stored);
        Assert.NotEmpty(stored.ETag);
        Assert.Equal(StoreJson.Serialize(checkIn), StoreJson.Serialize(stored));
        Assert.Null(await Store.GetCheckInAsync("PO-2", default));
    }

    [Fact]
    public async Task Adding_check_ins_is_idempotent_on_the_purchase_id()
    {
        var original = CheckInFor("PO-1");
        await Store.AddCheckInsAsync([original], default);
        var etag = (await Store.GetCheckInAsync("PO-1", default))!.ETag;

        var added = await Store.AddCheckInsAsync([original with { DueAt = T0.AddDays(9) }, CheckInFor("PO-2"), CheckInFor("PO-2") with { RequesterKey = "mallory@contoso.com" }], default);

        Assert.Equal(["PO-2"], added);
        var first = await Store.GetCheckInAsync("PO-1", default);
        Assert.Equal((T0, etag), (first!.DueAt, first.ETag));
        Assert.Equal("alice@contoso.com", (await Store.GetCheckInAsync("PO-2", default))!.RequesterKey);
        Assert.Empty(await Store.AddCheckInsAsync([original], default));
    }

    [Fact]
    public async Task A_replace_with_the_current_etag_is_stored_and_gets_a_new_etag()
    {
        await Store.AddCheckInsAsync([CheckInFor("PO-1")], default);
        var read = (await Store.GetCheckInAsync("PO-1", default))!;

        var replaced = await Store.TryReplaceCheckInAsync(read with { Status = CheckInStatus.InProgress, PersonId = "msteams:1", SentAt = T0 }, default);

        Assert.NotNull(replaced);
        Assert.NotEqual(read.ETag, replaced.ETag);
        var stored = (await Store.GetCheckInAsync("PO-1", default))!;
        Assert.Equal(replaced.ETag, stored.ETag);
        Assert.Equal((CheckInStatus.InProgress, "msteams:1", (DateTimeOffset?)T0), (stored.Status, stored.PersonId, stored.SentAt));
    }

    [Fact]
    public async Task A_replace_with_a_stale_or_missing_etag_is_refused_and_changes_nothing()
    {
        await Store.AddCheckInsAsync([CheckInFor("PO-1")], default);
        var stale = (await Store.GetCheckInAsync("PO-1", default))!;
        var current = await Store.TryReplaceCheckInAsync(stale with { Status = CheckInStatus.InProgress }, default);

        Assert.Null(await Store.TryReplaceCheckInAsync(stale with { Status = CheckInStatus.Stopped }, default));
        Assert.Null(await Store.TryReplaceCheckInAsync(stale with { Status = CheckInStatus.Stopped, ETag = "" }, default));
        Assert.Null(await Store.TryReplaceCheckInAsync(CheckInFor("PO-404") with { ETag = stale.ETag }, default));

        var stored = (await Store.GetCheckInAsync("PO-1", default))!;
        Assert.Equal((CheckInStatus.InProgress, current!.ETag), (stored.Status, stored.ETag));
        Assert.Null(await Store.GetCheckInAsync("PO-404", default));
    }

    [Fact]
    public async Task Of_two_instances_writing_from_the_same_read_exactly_one_wins()
    {
        var other = await ConnectAgainAsync();
        await Store.AddCheckInsAsync([CheckInFor("PO-1")], default);
        var read = (await Store.GetCheckInAsync("PO-1", default))!;

        var results = await AllAtOnce.RunAsync(
            () => Store.TryReplaceCheckInAsync(read with { LastError = "first" }, default),
            () => other.TryReplaceCheckInAsync(read with { LastError = "second" }, default));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner!.LastError, (await other.GetCheckInAsync("PO-1", default))!.LastError);
    }

    [Fact]
    public async Task Racing_activities_are_all_recorded_and_retried_ones_only_once()
    {
        var other = await ConnectAgainAsync();
        await Store.AddCheckInsAsync([CheckInFor("PO-1") with { Status = CheckInStatus.InProgress }], default);
        var (rating, comment) = (Set("it-hardware", 1).Questions[0], Set("it-hardware", 1).Questions[1]);

        // Two different activities on two instances at once; then the channel retries both, twice.
        var first = await AllAtOnce.RunAsync(
            () => ApplyOnceAsync(Store, "PO-1", "msteams|a:1|100", rating, "2"),
            () => ApplyOnceAsync(other, "PO-1", "msteams|a:1|101", comment, "Arrived broken"));
        var retries = await AllAtOnce.RunAsync(
            () => ApplyOnceAsync(other, "PO-1", "msteams|a:1|100", rating, "2"),
            () => ApplyOnceAsync(Store, "PO-1", "msteams|a:1|101", comment, "Arrived broken"),
            () => ApplyOnceAsync(Store, "PO-1", "msteams|a:1|100", rating, "2"),
            () => ApplyOnceAsync(other, "PO-1", "msteams|a:1|101", comment, "Arrived broken"));

        Assert.Equal([true, true], first);
        Assert.Equal([false, false, false, false], retries);
        var stored = (await Store.GetCheckInAsync("PO-1", default))!;
        Assert.Equal(["overall", "whatWentWrong"], stored.Answers.Select(a => a.QuestionId).Order());
        Assert.Equal(["msteams|a:1|100", "msteams|a:1|101"], stored.AppliedActivityIds.Order());
    }

    // Claims

    [Fact]
    public async Task Only_scheduled_check_ins_that_are_due_are_claimed_oldest_first_with_a_lease()
    {
        await Store.AddCheckInsAsync(
        [
            CheckInFor("due-now", due: T0),
            CheckInFor("future", due: T0.AddMilliseconds(1)),
            CheckInFor("overdue", due: T0.AddHours(-5)),
            CheckInFor("waiting", due: T0.AddHours(-6), status: CheckInStatus.AwaitingContact),
            CheckInFor("sent", due: T0.AddHours(-6), status: CheckInStatus.InProgress),
            CheckInFor("done", due: T0.AddHours(-6), status: CheckInStatus.Completed),
            CheckInFor("failed", due: T0.AddHours(-6), status: CheckInStatus.Failed),
        ], default);

        var claimed = await Store.ClaimDueCheckInsAsync(T0, "instance-a", T0 + Lease, 50, default);

        Assert.Equal(["overdue", "due-now"], claimed.Select(c => c.Id));
        foreach (var checkIn in claimed)
        {
            var stored = (await Store.GetCheckInAsync(checkIn.Id, default))!;
            Assert.Equal((CheckInStatus.Sending, "instance-a", (DateTimeOffset?)(T0 + Lease), checkIn.ETag), (stored.Status, stored.LeaseOwner, stored.LeaseUntil, stored.ETag));
            Assert.Equal(checkIn.Purchase, stored.Purchase);
        }

        Assert.NotNull(await Store.TryReplaceCheckInAsync(claimed[0] with { Status = CheckInStatus.InProgress, LeaseOwner = null, LeaseUntil = null }, default));
    }

    [Fact]
    public async Task A_claim_takes_at_most_max_and_the_next_claim_takes_the_rest()
    {
        await Store.AddCheckInsAsync([.. Enumerable.Range(1, 5).Select(i => CheckInFor($"PO-{i}", due: T0.AddMinutes(-i)))], default);

        var batches = new List<string[]>();
        for (var round = 0; round < 4; round++)
        {
            batches.Add([.. (await Store.ClaimDueCheckInsAsync(T0, "instance-a", T0 + Lease, 2, default)).Select(c => c.Id)]);
        }

        Assert.Equal([["PO-5", "PO-4"], ["PO-3", "PO-2"], ["PO-1"], []], batches);
    }

    [Fact]
    public async Task A_lease_keeps_others_off_until_it_expires_then_anyone_may_reclaim_it()
    {
        var other = await ConnectAgainAsync();
        await Store.AddCheckInsAsync([CheckInFor("PO-1", due: T0)], default);
        var first = Assert.Single(await Store.ClaimDueCheckInsAsync(T0, "instance-a", T0 + Lease, 10, default));

        Assert.Empty(await other.ClaimDueCheckInsAsync(T0 + Lease - TimeSpan.FromMilliseconds(1), "instance-b", T0 + Lease * 2, 10, default));
        var second = Assert.Single(await other.ClaimDueCheckInsAsync(T0 + Lease, "instance-b", T0 + Lease * 2, 10, default));

        Assert.Equal(("PO-1", "instance-b", (DateTimeOffset?)(T0 + Lease * 2)), (second.Id, second.LeaseOwner, second.LeaseUntil));
        Assert.Null(await Store.TryReplaceCheckInAsync(first with { Status = CheckInStatus.InProgress }, default));
        Assert.NotNull(await other.TryReplaceCheckInAsync(second with { Status = CheckInStatus.InProgress }, default));
    }

    [Fact]
    public async Task Two_instances_claiming_at_once_never_get_the_same_check_in()
    {
        var other = await ConnectAgainAsync();
        var ids = Enumerable.Range(1, 30).Select(i => $"PO-{i:00}").ToList();
        await Store.AddCheckInsAsync([.. ids.Select(id => CheckInFor(id, due: T0.AddMinutes(-1)))], default);

        var claims = await AllAtOnce.RunAsync([.. Enumerable.Range(0, 6).Select(i => (Func<Task<IReadOnlyList<CheckIn>>>)(() =>
            (i % 2 == 0 ? Store : other).ClaimDueCheckInsAsync(T0, $"instance-{i}", T0 + Lease, 8, default)))]);

        var claimed = claims.SelectMany(c => c.Select(x => x.Id)).ToList();
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(ids, claimed.Order());
        foreach (var (batch, i) in claims.Select((c, i) => (c, i)))
        {
            foreach (var checkIn in batch)
            {
                Assert.Equal($"instance-{i}", (await Store.GetCheckInAsync(checkIn.Id, default))!.LeaseOwner);
            }
        }
    }

    [Fact]
    public async Task Many_answers_saved_at_once_all_land_and_only_one_of_two_writers_from_the_same_read_wins()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"PO-{i}").ToList();
        await Store.AddCheckInsAsync([.. ids.Select(id => CheckInFor(id, status: CheckInStatus.InProgress))], default);
        var read = new List<CheckIn>();
        foreach (var id in ids)
        {
            read.Add((await Store.GetCheckInAsync(id, default))!);
        }

        // Every check-in written twice at the same moment from the same read: one write per pair wins.
        var writes = read.SelectMany(c => new[] { c with { LastError = "first" }, c with { LastError = "second" } }).ToList();
        var results = await AllAtOnce.RunAsync([.. writes.Select(w => (Func<Task<CheckIn?>>)(() => Store.TryReplaceCheckInAsync(w, default)))]);

        Assert.Equal(ids.Count, results.Count(r => r is not null));
        var again = await ConnectAgainAsync();
        foreach (var (id, pair) in ids.Zip(results.Chunk(2)))
        {
            var winner = Assert.Single(pair, r => r is not null)!;
            var stored = (await again.GetCheckInAsync(id, default))!;
            Assert.Equal(winner.LastError, stored.LastError);
            Assert.Equal(winner.ETag, stored.ETag);
        }
    }

    // Queries by requester

    [Fact]
    public async Task A_requesters_check_ins_are_filtered_by_status_and_ordered_by_due_time()
    {
        await Store.AddCheckInsAsync(
        [
            CheckInFor("later", due: T0.AddDays(2), status: CheckInStatus.InProgress),
            CheckInFor("sooner", due: T0.AddDays(1)),
            CheckInFor("done", due: T0, status: CheckInStatus.Completed),
            CheckInFor("bobs", due: T0, requester: "bob@contoso.com"),
        ], default);

        var open = await Store.GetCheckInsForRequesterAsync("alice@contoso.com", [CheckInStatus.Scheduled, CheckInStatus.InProgress], default);

        Assert.Equal(["sooner", "later"], open.Select(c => c.Id));
        Assert.All(open, c => Assert.NotEmpty(c.ETag));
        Assert.Equal(["done"], (await Store.GetCheckInsForRequesterAsync("alice@contoso.com", [CheckInStatus.Completed], default)).Select(c => c.Id));
        Assert.Empty(await Store.GetCheckInsForRequesterAsync("alice@contoso.com", [], default));
        Assert.Empty(await Store.GetCheckInsForRequesterAsync("carol@contoso.com", [CheckInStatus.Scheduled], default));
    }

    [Fact]
    public async Task The_open_check_in_for_a_typed_answer_is_the_oldest_due_in_progress_one_sent_to_that_person()
    {
        await Store.AddCheckInsAsync(
        [
            CheckInFor("newer", due: T0.AddDays(2), status: CheckInStatus.InProgress) with { PersonId = "msteams:1" },
            CheckInFor("older", due: T0.AddDays(1), status: CheckInStatus.InProgress) with { PersonId = "msteams:1" },
            CheckInFor("oldest-but-scheduled", due: T0, status: CheckInStatus.Scheduled) with { PersonId = "msteams:1" },
            CheckInFor("oldest-but-on-slack", due: T0, status: CheckInStatus.InProgress) with { PersonId = "slack:U1" },
            CheckInFor("bobs", due: T0, status: CheckInStatus.InProgress, requester: "bob@contoso.com") with { PersonId = "msteams:1" },
        ], default);

        Assert.Equal("older", (await Store.FindOpenCheckInAsync("alice@contoso.com", "msteams:1", default))?.Id);
        Assert.Equal("oldest-but-on-slack", (await Store.FindOpenCheckInAsync("alice@contoso.com", "slack:U1", default))?.Id);
        Assert.Null(await Store.FindOpenCheckInAsync("alice@contoso.com", "msteams:2", default));

        // Once answered, the next one is found; a check-in sent later (person set on replace) is found too.
        var older = (await Store.GetCheckInAsync("older", default))!;
        Assert.NotNull(await Store.TryReplaceCheckInAsync(older with { Status = CheckInStatus.Completed }, default));
        Assert.Equal("newer", (await Store.FindOpenCheckInAsync("alice@contoso.com", "msteams:1", default))?.Id);
        var scheduled = (await Store.GetCheckInAsync("oldest-but-scheduled", default))!;
        Assert.NotNull(await Store.TryReplaceCheckInAsync(scheduled with { Status = CheckInStatus.InProgress, PersonId = "msteams:9" }, default));
        Assert.Equal("oldest-but-scheduled", (await Store.FindOpenCheckInAsync("alice@contoso.com", "msteams:9", default))?.Id);
        Assert.NotEmpty((await Store.FindOpenCheckInAsync("alice@contoso.com", "msteams:9", default))!.ETag);
    }

    [Fact]
    public async Task A_purchase_for_someone_without_the_bot_waits_out_of_claims_until_released()
    {
        await Store.AddCheckInsAsync([CheckInFor("PO-1", due: T0.AddDays(-1))], default);
        var claimed = Assert.Single(await Store.ClaimDueCheckInsAsync(T0, "instance-a", T0 + Lease, 10, default));
        await Store.TryReplaceCheckInAsync(claimed with { Status = CheckInStatus.AwaitingContact, LeaseOwner = null, LeaseUntil = null }, default);

        Assert.Empty(await Store.ClaimDueCheckInsAsync(T0.AddDays(30), "instance-a", T0.AddDays(30) + Lease, 10, default));
        var waiting = Assert.Single(await Store.GetCheckInsForRequesterAsync("alice@contoso.com", [CheckInStatus.AwaitingContact], default));

        var installedAt = T0.AddDays(3);
        Assert.NotNull(await Store.TryReplaceCheckInAsync(waiting with { Status = CheckInStatus.Scheduled, DueAt = installedAt }, default));

        Assert.Equal("PO-1", Assert.Single(await Store.ClaimDueCheckInsAsync(installedAt, "instance-b", installedAt + Lease, 10, default)).Id);
    }

    // Escalations

    [Fact]
    public async Task An_escalation_round_trips_with_every_field_and_an_etag()
    {
        var escalation = EscalationWithEveryField("checkin:PO-1");

        Assert.True(await Store.AddEscalationAsync(escalation, default));

        var stored = await Store.GetEscalationAsync("checkin:PO-1", default);
        Assert.NotNull(stored);
        Assert.NotEmpty(stored.ETag);
        Assert.Equal(StoreJson.Serialize(escalation), StoreJson.Serialize(stored));
        Assert.Null(await Store.GetEscalationAsync("checkin:PO-2", default));
    }

    [Fact]
    public async Task An_escalation_is_added_once_per_id_and_a_second_add_changes_nothing()
    {
        var first = EscalationFor("checkin:PO-1", next: T0);
        Assert.True(await Store.AddEscalationAsync(first, default));
        var etag = (await Store.GetEscalationAsync(first.Id, default))!.ETag;

        Assert.False(await Store.AddEscalationAsync(first with { Severity = Severity.Low, Comment = "added again", NextActionAt = T0.AddDays(1) }, default));

        var stored = (await Store.GetEscalationAsync(first.Id, default))!;
        Assert.Equal((Severity.High, (string?)null, etag), (stored.Severity, stored.Comment, stored.ETag));
        Assert.Equal("checkin:PO-1", Assert.Single(await Store.ClaimEscalationWorkAsync(T0, "instance-a", T0 + Lease, 10, default)).Id);
    }

    [Fact]
    public async Task An_escalation_is_replaced_only_with_its_current_etag()
    {
        await Store.AddEscalationAsync(EscalationFor("checkin:PO-1"), default);
        var read = (await Store.GetEscalationAsync("checkin:PO-1", default))!;

        var replaced = await Store.TryReplaceEscalationAsync(read with { Status = EscalationStatus.Acknowledged, Revision = 1 }, default);

        Assert.NotNull(replaced);
        Assert.NotEqual(read.ETag, replaced.ETag);
        Assert.Null(await Store.TryReplaceEscalationAsync(read with { Status = EscalationStatus.Resolved, Revision = 1 }, default));
        Assert.Null(await Store.TryReplaceEscalationAsync(read with { Status = EscalationStatus.Resolved, ETag = "" }, default));
        Assert.Null(await Store.TryReplaceEscalationAsync(EscalationFor("checkin:PO-404") with { ETag = replaced.ETag }, default));
        var stored = (await Store.GetEscalationAsync("checkin:PO-1", default))!;
        Assert.Equal((EscalationStatus.Acknowledged, 1, replaced.ETag), (stored.Status, stored.Revision, stored.ETag));
        Assert.Null(await Store.GetEscalationAsync("checkin:PO-404", default));
    }

    [Fact]
    public async Task Of_two_instances_replacing_an_escalation_from_the_same_read_exactly_one_wins()
    {
        var other = await ConnectAgainAsync();
        await Store.AddEscalationAsync(EscalationFor("checkin:PO-1"), default);
        var read = (await Store.GetEscalationAsync("checkin:PO-1", default))!;

        var results = await AllAtOnce.RunAsync(
            () => Store.TryReplaceEscalationAsync(read with { ResolvedBy = "first" }, default),
            () => other.TryReplaceEscalationAsync(read with { ResolvedBy = "second" }, default));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner!.ResolvedBy, (await other.GetEscalationAsync("checkin:PO-1", default))!.ResolvedBy);
    }

    [Fact]
    public async Task Only_escalations_whose_next_action_has_come_and_whose_lease_has_ended_are_claimed_soonest_first()
    {
        foreach (var escalation in new[]
        {
            EscalationFor("due-now", next: T0),
            EscalationFor("later", next: T0.AddMilliseconds(1)),
            EscalationFor("overdue", next: T0.AddHours(-1)),
            EscalationFor("nothing-to-do", next: null),
            EscalationFor("leased", next: T0.AddHours(-2)) with { LeaseOwner = "instance-x", LeaseUntil = T0.AddMilliseconds(1) },
            EscalationFor("lease-ended", next: T0.AddHours(-3)) with { LeaseOwner = "crashed", LeaseUntil = T0 },
        })
        {
            await Store.AddEscalationAsync(escalation, default);
        }

        var claimed = await Store.ClaimEscalationWorkAsync(T0, "instance-a", T0 + Lease, 50, default);

        Assert.Equal(["lease-ended", "overdue", "due-now"], claimed.Select(e => e.Id));
        foreach (var escalation in claimed)
        {
            var stored = (await Store.GetEscalationAsync(escalation.Id, default))!;
            Assert.Equal(("instance-a", (DateTimeOffset?)(T0 + Lease), escalation.ETag), (stored.LeaseOwner, stored.LeaseUntil, stored.ETag));
            Assert.Equal(StoreJson.Serialize(stored), StoreJson.Serialize(escalation));
        }

        Assert.NotNull(await Store.TryReplaceEscalationAsync(claimed[0] with { LeaseOwner = null, LeaseUntil = null, NextActionAt = null }, default));
        Assert.DoesNotContain((await Store.ClaimEscalationWorkAsync(T0.AddYears(5), "instance-b", T0.AddYears(5) + Lease, 50, default)).Select(e => e.Id),
            id => id is "nothing-to-do" or "lease-ended");
    }

    [Fact]
    public async Task An_escalation_claim_takes_at_most_max_and_the_next_claim_takes_the_rest()
    {
        foreach (var i in Enumerable.Range(1, 5))
        {
            await Store.AddEscalationAsync(EscalationFor($"e-{i}", next: T0.AddMinutes(-i)), default);
        }

        var batches = new List<string[]>();
        for (var round = 0; round < 4; round++)
        {
            batches.Add([.. (await Store.ClaimEscalationWorkAsync(T0, "instance-a", T0 + Lease, 2, default)).Select(e => e.Id)]);
        }

        Assert.Equal([["e-5", "e-4"], ["e-3", "e-2"], ["e-1"], []], batches);
    }

    [Fact]
    public async Task An_escalation_lease_keeps_others_off_until_it_expires_then_anyone_may_reclaim_it()
    {
        var other = await ConnectAgainAsync();
        await Store.AddEscalationAsync(EscalationFor("e-1", next: T0), default);
        var first = Assert.Single(await Store.ClaimEscalationWorkAsync(T0, "instance-a", T0 + Lease, 10, default));

        Assert.Empty(await other.ClaimEscalationWorkAsync(T0 + Lease - TimeSpan.FromMilliseconds(1), "instance-b", T0 + Lease * 2, 10, default));
        var second = Assert.Single(await other.ClaimEscalationWorkAsync(T0 + Lease, "instance-b", T0 + Lease * 2, 10, default));

        Assert.Equal(("e-1", "instance-b", (DateTimeOffset?)(T0 + Lease * 2)), (second.Id, second.LeaseOwner, second.LeaseUntil));
        Assert.Null(await Store.TryReplaceEscalationAsync(first with { LeaseOwner = null, LeaseUntil = null }, default));
        Assert.NotNull(await other.TryReplaceEscalationAsync(second with { LeaseOwner = null, LeaseUntil = null }, default));
    }

    [Fact]
    public async Task Two_instances_claiming_escalations_at_once_never_get_the_same_one()
    {
        var other = await ConnectAgainAsync();
        var ids = Enumerable.Range(1, 30).Select(i => $"e-{i:00}").ToList();
        foreach (var id in ids)
        {
            await Store.AddEscalationAsync(EscalationFor(id, next: T0.AddMinutes(-1)), default);
        }

        var claims = await AllAtOnce.RunAsync([.. Enumerable.Range(0, 6).Select(i => (Func<Task<IReadOnlyList<Escalation>>>)(() =>
            (i % 2 == 0 ? Store : other).ClaimEscalationWorkAsync(T0, $"instance-{i}", T0 + Lease, 8, default)))]);

        var claimed = claims.SelectMany(c => c.Select(e => e.Id)).ToList();
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(ids, claimed.Order());
        foreach (var (batch, i) in claims.Select((c, i) => (c, i)))
        {
            Assert.True(batch.Count <= 8);
            foreach (var escalation in batch)
            {
                Assert.Equal($"instance-{i}", (await Store.GetEscalationAsync(escalation.Id, default))!.LeaseOwner);
            }
        }
    }

    [Fact]
    public async Task Escalations_awaiting_a_channel_are_listed_until_they_are_released()
    {
        await Store.AddEscalationAsync(EscalationFor("waiting-b", next: null) with { AwaitingChannel = true }, default);
        await Store.AddEscalationAsync(EscalationFor("posted", next: T0), default);
        await Store.AddEscalationAsync(EscalationFor("waiting-a", next: null) with { AwaitingChannel = true }, default);

        var waiting = await Store.GetEscalationsAwaitingChannelAsync(default);

        Assert.Equal(["waiting-a", "waiting-b"], waiting.Select(e => e.Id));
        Assert.All(waiting, e => Assert.NotEmpty(e.ETag));
        Assert.NotNull(await Store.TryReplaceEscalationAsync(waiting[0] with { AwaitingChannel = false, NextActionAt = T0 }, default));
        Assert.Equal(["waiting-b"], (await Store.GetEscalationsAwaitingChannelAsync(default)).Select(e => e.Id));
        Assert.Equal(["posted", "waiting-a"], (await Store.ClaimEscalationWorkAsync(T0, "instance-a", T0 + Lease, 10, default)).Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Escalation_channels_are_registered_once_per_category_the_latest_registration_winning()
    {
        Assert.Empty(await Store.GetEscalationDestinationsAsync(default));
        var fallback = ChannelFor("", "19:general@thread.tacv2");
        var laptops = ChannelFor("laptops", "19:laptops@thread.tacv2");
        var movedLaptops = ChannelFor("Laptops", "19:hardware@thread.tacv2") with { TenantId = null, Name = null };

        await Store.SetEscalationDestinationAsync(laptops, default);
        await Store.SetEscalationDestinationAsync(fallback, default);
        await Store.SetEscalationDestinationAsync(movedLaptops, default);

        var registered = await Store.GetEscalationDestinationsAsync(default);
        Assert.Equal(2, registered.Count);
        Assert.Equal(fallback, Assert.Single(registered, c => c.Category.Length == 0));
        Assert.Equal(movedLaptops, Assert.Single(registered, c => c.Category.Length > 0));
    }

    [Fact]
    public async Task Supplier_signals_are_inserted_once_then_replaced_only_with_their_current_etag()
    {
        var signals = new SupplierSignals
        {
            SupplierKey = "dell",
            LowRatings = [new("PO-1", "supplier-trend", T0), new("PO-2", "supplier-trend", T0.AddDays(1).ToOffset(TimeSpan.FromHours(2)))],
            LastTrendWindowStarts = new Dictionary<string, DateTimeOffset> { ["supplier-trend"] = T0 },
        };
        Assert.Null(await Store.GetSupplierSignalsAsync("dell", default));

        var inserted = await Store.TrySaveSupplierSignalsAsync(signals, default);

        Assert.NotNull(inserted);
        Assert.NotEmpty(inserted.ETag);
        Assert.Null(await Store.TrySaveSupplierSignalsAsync(signals with { LowRatings = [] }, default));
        var stored = (await Store.GetSupplierSignalsAsync("dell", default))!;
        Assert.Equal((StoreJson.Serialize(signals), inserted.ETag), (StoreJson.Serialize(stored), stored.ETag));

        var replaced = await Store.TrySaveSupplierSignalsAsync(stored with { LowRatings = [.. stored.LowRatings, new("PO-3", "supplier-trend", T0.AddDays(2))] }, default);
        Assert.NotNull(replaced);
        Assert.NotEqual(inserted.ETag, replaced.ETag);
        Assert.Null(await Store.TrySaveSupplierSignalsAsync(stored with { LowRatings = [] }, default));
        Assert.Null(await Store.TrySaveSupplierSignalsAsync(signals with { SupplierKey = "hp", ETag = replaced.ETag }, default));
        Assert.Equal(["PO-1", "PO-2", "PO-3"], (await Store.GetSupplierSignalsAsync("dell", default))!.LowRatings.Select(r => r.CheckInId));
        Assert.Null(await Store.GetSupplierSignalsAsync("hp", default));
    }

    // Rollups

    [Fact]
    public async Task A_rollup_round_trips_with_every_field_and_an_etag()
    {
        var rollup = RollupWithEveryField("supplier:dell:2026-03");
        Assert.Null(await Store.GetRollupAsync(rollup.Key, default));

        var saved = await Store.TrySaveRollupAsync(rollup, default);

        Assert.NotNull(saved);
        Assert.NotEmpty(saved.ETag);
        var stored = await Store.GetRollupAsync(rollup.Key, default);
        Assert.NotNull(stored);
        Assert.Equal((StoreJson.Serialize(rollup), saved.ETag), (StoreJson.Serialize(stored), stored.ETag));
        Assert.Equal(rollup.CheckInIds, stored.CheckInIds);
    }

    [Fact]
    public async Task A_rollup_is_inserted_once_and_a_second_insert_changes_nothing()
    {
        var rollup = RollupWithEveryField("category:laptops:2026-03");
        var first = await Store.TrySaveRollupAsync(rollup, default);

        Assert.NotNull(first);
        Assert.Null(await Store.TrySaveRollupAsync(rollup with { Responses = 99, CheckInIds = [] }, default));
        Assert.Null(await (await ConnectAgainAsync()).TrySaveRollupAsync(rollup with { Responses = 98 }, default));
        var stored = (await Store.GetRollupAsync(rollup.Key, default))!;
        Assert.Equal((3, first.ETag), (stored.Responses, stored.ETag));
    }

    [Fact]
    public async Task A_rollup_is_replaced_only_with_its_current_etag_and_a_stale_one_changes_nothing()
    {
        var rollup = RollupWithEveryField("supplier:dell:2026-03");
        var inserted = (await Store.TrySaveRollupAsync(rollup, default))!;

        var replaced = await Store.TrySaveRollupAsync(inserted with { Responses = 4, CheckInIds = [.. inserted.CheckInIds, "PO-4"] }, default);

        Assert.NotNull(replaced);
        Assert.NotEqual(inserted.ETag, replaced.ETag);
        Assert.Null(await Store.TrySaveRollupAsync(inserted with { Responses = 5 }, default));
        Assert.Null(await Store.TrySaveRollupAsync(inserted with { Responses = 5, ETag = "" }, default));
        Assert.Null(await Store.TrySaveRollupAsync(RollupWithEveryField("supplier:hp:2026-03") with { ETag = replaced.ETag }, default));
        var stored = (await Store.GetRollupAsync(rollup.Key, default))!;
        Assert.Equal((4, replaced.ETag), (stored.Responses, stored.ETag));
        Assert.Equal(["PO-1", "PO-2", "PO-3", "PO-4"], stored.CheckInIds);
        Assert.Null(await Store.GetRollupAsync("supplier:hp:2026-03", default));
        Assert.Null(await Store.GetRollupAsync("supplier:dell:2026-04", default));
    }

    [Fact]
    public async Task A_months_rollups_are_listed_together_by_key_with_their_etags_and_no_other_months()
    {
        string[] march = ["supplier:hp:2026-03", "category:laptops:2026-03", "supplier:dell:2026-03", "category:it/hardware? #1 100% ~ok:2026-03"];
        var saved = new List<Rollup>();
        foreach (var key in march)
        {
            saved.Add((await Store.TrySaveRollupAsync(RollupWithEveryField(key), default))!);
        }

        await Store.TrySaveRollupAsync(RollupWithEveryField("supplier:dell:2026-04"), default);
        await Store.TrySaveRollupAsync(RollupWithEveryField("supplier:dell:2025-03"), default);
        var replaced = (await Store.TrySaveRollupAsync(saved[0] with { Responses = 7 }, default))!;

        var listed = await (await ConnectAgainAsync()).GetRollupsAsync("2026-03", default);

        Assert.Equal(march.Order(StringComparer.Ordinal), listed.Select(r => r.Key));
        var hp = Assert.Single(listed, r => r.Key == "supplier:hp:2026-03");
        Assert.Equal((7, replaced.ETag), (hp.Responses, hp.ETag));
        Assert.Equal(StoreJson.Serialize(saved[2]), StoreJson.Serialize(Assert.Single(listed, r => r.Key == "supplier:dell:2026-03")));
        Assert.Single(await Store.GetRollupsAsync("2026-04", default));
        Assert.Empty(await Store.GetRollupsAsync("2026-05", default));
    }

    [Fact]
    public async Task Of_two_instances_saving_a_rollup_from_the_same_read_exactly_one_wins()
    {
        var read = (await Store.TrySaveRollupAsync(RollupWithEveryField("category:it/hardware? #1 100% ~ok:2026-03"), default))!;
        var other = await ConnectAgainAsync();

        var results = await AllAtOnce.RunAsync(
            () => Store.TrySaveRollupAsync(read with { Responses = 10 }, default),
            () => other.TrySaveRollupAsync(read with { Responses = 20 }, default));

        var winner = Assert.Single(results, r => r is not null)!;
        var stored = (await Store.GetRollupAsync(read.Key, default))!;
        Assert.Equal((winner.Responses, winner.ETag), (stored.Responses, stored.ETag));
    }

    // Admin: audit log and erasure

    [Fact]
    public async Task Audit_entries_round_trip_and_are_listed_newest_first_within_the_range_across_months()
    {
        var entries = new[]
        {
            new AuditEntry("a1", T0.AddDays(-40), "api-key:abc123", "API key abc123", "create", "question-set:it-hardware", "version 2"),
            new AuditEntry("a2", T0.AddDays(-2), "entra:oid-1", "Ada Admin", "archive", "question-set:furniture", null),
            new AuditEntry("a3", T0, "entra:oid-1", "Ada Admin", "erase", "person:sha256:0f0f", null),
            new AuditEntry("a4", T0.AddDays(1), "entra:oid-2", "Bo Admin", "update", "question-set:it-hardware", null),
        };
        foreach (var entry in entries)
        {
            await Store.AddAuditEntryAsync(entry, default);
        }

        Assert.Equal(["a4", "a3", "a2", "a1"], (await Store.GetAuditEntriesAsync(T0.AddDays(-60), T0.AddDays(2), 100, default)).Select(e => e.Id));
        Assert.Equal(["a3", "a2"], (await Store.GetAuditEntriesAsync(T0.AddDays(-30), T0, 100, default)).Select(e => e.Id));
        Assert.Equal(["a4", "a3"], (await Store.GetAuditEntriesAsync(T0.AddDays(-60), T0.AddDays(2), 2, default)).Select(e => e.Id));
        Assert.Equal(entries[0], (await Store.GetAuditEntriesAsync(T0.AddDays(-41), T0.AddDays(-39), 10, default)).Single());
        Assert.Empty(await Store.GetAuditEntriesAsync(T0.AddDays(2), T0.AddDays(3), 10, default));
    }

    [Fact]
    public async Task Erasing_a_person_removes_them_their_addresses_and_check_ins_and_anonymises_their_escalations()
    {
        var alice = Someone("msteams:1", "Alice@Contoso.com", T0) with { UserPrincipalName = "alice.w@contoso.onmicrosoft.com" };
        await Store.UpsertPersonAsync(alice, default);
        await Store.UpsertPersonAsync(Someone("msteams:2", "bob@contoso.com", T0), default);
        await Store.AddCheckInsAsync(
        [
            CheckInFor("PO-1", requester: "alice@contoso.com"),
            CheckInFor("PO-2", status: CheckInStatus.Completed, requester: "alice@contoso.com") with { PersonId = "msteams:1" },
            CheckInFor("PO-3", requester: "alice.w@contoso.onmicrosoft.com"),
            CheckInFor("PO-4", requester: "bob@contoso.com"),
        ], default);
        var named = EscalationWithEveryField(Escalation.IdForCheckIn("PO-2")) with { CheckInId = "PO-2", Purchase = CheckInFor("PO-2").Purchase };
        await Store.AddEscalationAsync(named, default);
        await Store.AddEscalationAsync(EscalationWithEveryField(Escalation.IdForCheckIn("PO-4")) with
        {
            CheckInId = "PO-4",
            Purchase = CheckInFor("PO-4", requester: "bob@contoso.com").Purchase,
            RequesterEmail = "bob@contoso.com",
            RequesterPersonId = "msteams:2",
            RequesterName = "Bob",
        }, default);

        var counts = await Store.ErasePersonAsync(" ALICE@contoso.com ", default);

        Assert.Equal(new ErasureCounts(People: 1, CheckIns: 3, EscalationsAnonymised: 1), counts);
        Assert.Null(await Store.GetPersonAsync("msteams:1", default));
        Assert.Null(await Store.FindPersonByAddressAsync("alice@contoso.com", default));
        Assert.Null(await Store.FindPersonByAddressAsync("alice.w@contoso.onmicrosoft.com", default));
        foreach (var id in new[] { "PO-1", "PO-2", "PO-3" })
        {
            Assert.Null(await Store.GetCheckInAsync(id, default));
        }

        Assert.Empty(await Store.GetCheckInsForRequesterAsync("alice@contoso.com", Enum.GetValues<CheckInStatus>(), default));
        var kept = (await Store.GetEscalationAsync(named.Id, default))!;
        Assert.Equal(StoreJson.Serialize(named.WithoutRequester()), StoreJson.Serialize(kept));
        Assert.False(kept.NamesRequester);
        Assert.Equal(named.Answers, kept.Answers);

        // Everyone else is untouched, and erasing again finds nothing.
        Assert.NotNull(await Store.GetPersonAsync("msteams:2", default));
        Assert.NotNull(await Store.GetCheckInAsync("PO-4", default));
        Assert.Equal("bob@contoso.com", (await Store.GetEscalationAsync(Escalation.IdForCheckIn("PO-4"), default))!.RequesterEmail);
        Assert.Equal(new ErasureCounts(0, 0, 0), await Store.ErasePersonAsync("alice@contoso.com", default));
    }

    [Fact]
    public async Task Erasing_an_unknown_address_changes_nothing()
    {
        await Store.UpsertPersonAsync(Someone("msteams:1", "alice@contoso.com", T0), default);
        await Store.AddCheckInsAsync([CheckInFor("PO-1")], default);

        Assert.Equal(new ErasureCounts(0, 0, 0), await Store.ErasePersonAsync("nobody@contoso.com", default));

        Assert.NotNull(await Store.FindPersonByAddressAsync("alice@contoso.com", default));
        Assert.NotNull(await Store.GetCheckInAsync("PO-1", default));
    }

    [Fact]
    public async Task Erasing_one_of_two_people_sharing_an_address_keeps_nobody_who_has_it_findable()
    {
        await Store.UpsertPersonAsync(Someone("msteams:1", "alice@contoso.com", T0), default);
        await Store.UpsertPersonAsync(Someone("slack:U1", "alice@contoso.com", T0.AddHours(1)), default);

        var counts = await Store.ErasePersonAsync("alice@contoso.com", default);

        Assert.Equal(2, counts.People);
        Assert.Null(await Store.FindPersonByAddressAsync("alice@contoso.com", default));
        Assert.Null(await Store.GetPersonAsync("msteams:1", default));
        Assert.Null(await Store.GetPersonAsync("slack:U1", default));
    }

    /// <summary>How the conversation applies one channel activity: read, skip if already applied, write if unchanged. True if it wrote.</summary>
    private static async Task<bool> ApplyOnceAsync(IProcurementStore store, string checkInId, string activityKey, Question question, string typed)
    {
        while (true)
        {
            var checkIn = (await store.GetCheckInAsync(checkInId, default))!;
            if (checkIn.HasApplied(activityKey))
            {
                return false;
            }

            var answered = checkIn with { Answers = [.. checkIn.Answers, Answer.Of(question, AnswerParser.Parse(question, typed)!.Value, T0)] };
            if (await store.TryReplaceCheckInAsync(answered.WithApplied(activityKey), default) is not null)
            {
                return true;
            }
        }
    }

    private static Person Someone(string id, string email, DateTimeOffset seenAt) => new()
    {
        Id = id,
        Channel = id.Split(':')[0],
        UserId = id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..],
        Name = "Alice",
        Email = email,
        FirstSeenAt = T0.AddDays(-1),
        UpdatedAt = seenAt,
    };

    private static QuestionSet Set(string id, int version) => new()
    {
        Id = id,
        Version = version,
        Name = id,
        Categories = [id],
        Questions =
        [
            new() { Id = "overall", Type = QuestionType.Rating, Text = "How happy are you with {description}?" },
            new() { Id = "whatWentWrong", Type = QuestionType.Text, Text = "What went wrong?", Required = false, ShowIf = new() { Question = "overall", AtMost = 2 } },
        ],
        EscalationRules = [new() { Id = "low-rating", When = new() { Question = "overall", AtMost = 2 }, Severity = Severity.High }],
    };

    private static Rollup RollupWithEveryField(string key) => new()
    {
        Key = key,
        Dimension = key.StartsWith("supplier:", StringComparison.Ordinal) ? RollupDimension.Supplier : RollupDimension.Category,
        Name = "Dell Technologies",
        Month = key[^7..],
        Responses = 3,
        Ratings = 3,
        RatingSum = 11,
        Satisfied = 2,
        Promoters = 1,
        Passives = 0,
        Detractors = 1,
        OnTimeYes = 2,
        OnTimeNo = 1,
        Sent = 5,
        SentCheckInIds = ["PO-1", "PO-2", "PO-3", "PO-4", "PO-5"],
        Escalations = new Dictionary<string, EscalationTally> { ["checkin:PO-1"] = EscalationTally.Overdue, ["checkin:PO-3"] = EscalationTally.Resolved },
        CheckInIds = ["PO-1", "PO-2", "PO-3"],
    };

    private static Escalation EscalationFor(string id, DateTimeOffset? next = null) => new()
    {
        Id = id,
        Kind = EscalationKind.CheckIn,
        Supplier = "Dell",
        Category = "laptops",
        Rules = [new("low-rating", Severity.High, "Rated 2 or less")],
        Severity = Severity.High,
        Status = EscalationStatus.Open,
        CreatedAt = T0.AddHours(-4),
        NextActionAt = next,
    };

    private static Escalation EscalationWithEveryField(string id)
    {
        var buyer = new Actor("msteams:29:1buyer", "Bob Buyer", "6f1b2c3d-0000-4000-8000-00000000000b", "bob@contoso.com");
        return EscalationFor(id, next: T0.AddDays(3)) with
        {
            Purchase = CheckInFor("PO-1").Purchase with { BuyerEmail = "bob@contoso.com", CheckInAt = T0.AddDays(-1) },
            CheckInId = "PO-1",
            QuestionSetId = "it-hardware",
            RequesterName = "Alice",
            RequesterEmail = "alice@contoso.com",
            RequesterPersonId = "msteams:29:1alice",
            Answers = [new("overall", "How happy are you with Latitude 7450?", "1/5 ★"), new("whatWentWrong", "What went wrong?", "It caught fire!")],
            Comment = "It caught fire!",
            Rules = [new("low-rating", Severity.High, "Rated 2 or less"), new("safety", Severity.High, "\"What went wrong?\" mentions \"fire\"")],
            RelatedCheckIns = ["PO-0", "PO-1"],
            Status = EscalationStatus.Resolved,
            CreatedAt = T0.AddHours(-4).ToOffset(TimeSpan.FromHours(1)),
            AcknowledgedAt = T0.AddHours(-3),
            AcknowledgedBy = "Bob Buyer",
            Owner = buyer,
            ResolvedAt = T0.AddHours(-1),
            ResolvedBy = "Bob Buyer",
            ResolutionNote = "Replacement shipped; Dell will collect the old one.",
            History = [new(T0.AddHours(-3), "Bob Buyer", "took ownership"), new(T0.AddHours(-1), "Bob Buyer", "resolved it")],
            Revision = 2,
            Card = new PostedCard("msteams", "https://smba.trafficmanager.net/emea/", "19:general@thread.tacv2;messageid=17", "17", "19:team@thread.tacv2"),
            AwaitingChannel = true,
            AdminsToldAt = T0.AddHours(-4),
            ReminderSentAt = T0.AddHours(-2),
            OverdueSince = T0,
            LeaseOwner = "instance-a",
            LeaseUntil = T0.AddMinutes(-1),
            AppliedActionKeys = ["msteams|19:general|100", "msteams|19:general|101"],
        };
    }

    private static EscalationDestination ChannelFor(string category, string conversationId) => new()
    {
        Category = category,
        ChannelId = "msteams",
        ServiceUrl = "https://smba.trafficmanager.net/emea/",
        ConversationId = conversationId,
        TeamId = "19:team@thread.tacv2",
        TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47",
        Name = "Procurement",
        RegisteredBy = "msteams:29:1admin",
        RegisteredAt = T0,
    };

    // Responses

    /// <summary>Adds a check-in and replaces it into <paramref name="status"/> at <paramref name="completedAt"/>, answered or not.</summary>
    private async Task FinishAsync(string id, DateTimeOffset completedAt, CheckInStatus status = CheckInStatus.Completed, bool answered = true, string supplier = "Dell", string category = "laptops")
    {
        var checkIn = CheckInFor(id) with { Purchase = CheckInFor(id).Purchase with { Supplier = supplier, Category = category } };
        await Store.AddCheckInsAsync([checkIn], default);
        var read = (await Store.GetCheckInAsync(id, default))!;
        var sent = (await Store.TryReplaceCheckInAsync(read with { Status = CheckInStatus.InProgress, PersonId = "msteams:1", SentAt = T0 }, default))!;
        var answers = answered ? [Answer.Of(Set("it-hardware", 1).Questions[0], new ParsedValue("4", 4), completedAt)] : new List<Answer>();
        Assert.NotNull(await Store.TryReplaceCheckInAsync(sent with { Status = status, CompletedAt = completedAt, Answers = answers }, default));
    }

    [Fact]
    public async Task Responses_are_finished_check_ins_in_the_range_ordered_by_completion_then_id_and_filtered()
    {
        await FinishAsync("p-b", T0.AddHours(1));
        await FinishAsync("p-a", T0.AddHours(1), supplier: " HP ", category: "Monitors");
        await FinishAsync("p-c", T0.AddDays(40), status: CheckInStatus.Stopped);
        await FinishAsync("p-d", T0.AddHours(2), status: CheckInStatus.Stopped, answered: false);
        await FinishAsync("p-e", T0.AddDays(-1));
        await Store.AddCheckInsAsync([CheckInFor("p-open")], default);

        var all = await Store.GetResponsesAsync(new ResponseQuery(T0, T0.AddDays(60)), default);
        Assert.Equal(["p-a", "p-b", "p-c"], all.Items.Select(c => c.Id));
        Assert.Null(all.Continuation);

        Assert.Equal(["p-a"], (await Store.GetResponsesAsync(new ResponseQuery(T0, T0.AddDays(60)) { Supplier = "hp" }, default)).Items.Select(c => c.Id));
        Assert.Equal(["p-a"], (await Store.GetResponsesAsync(new ResponseQuery(T0, T0.AddDays(60)) { Category = " MONITORS " }, default)).Items.Select(c => c.Id));
        Assert.Equal(["p-c"], (await Store.GetResponsesAsync(new ResponseQuery(T0, T0.AddDays(60)) { PurchaseId = "p-c" }, default)).Items.Select(c => c.Id));
        Assert.Equal(["p-a", "p-b"], (await Store.GetResponsesAsync(new ResponseQuery(T0.AddHours(1), T0.AddDays(40)), default)).Items.Select(c => c.Id));
        Assert.Equal(["p-e", "p-a", "p-b"], (await Store.GetResponsesAsync(new ResponseQuery(T0.AddDays(-2), T0.AddDays(2)), default)).Items.Select(c => c.Id));
    }

    [Fact]
    public async Task Responses_page_through_everything_with_the_continuation_token()
    {
        var ids = Enumerable.Range(0, 7).Select(i => $"p-{i}").ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            // Two share each time, and the last ones fall into the next month.
            await FinishAsync(ids[i], T0.AddDays(i / 2 * 12));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.GetResponsesAsync(new ResponseQuery(T0, T0.AddDays(90)) { PageSize = 2, Continuation = token }, default);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(c => c.Id));
            token = page.Continuation;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(ids, seen);
        Assert.Throws<FormatException>(() => ResponseQuery.Decode("not-a-token"));
    }

    private protected static CheckIn CheckInFor(string id, DateTimeOffset? due = null, CheckInStatus status = CheckInStatus.Scheduled, string requester = "alice@contoso.com") => new()
    {
        Id = id,
        Purchase = new Purchase
        {
            PurchaseId = id,
            RequesterEmail = requester,
            Supplier = "Dell",
            Category = "laptops",
            Description = "Latitude 7450",
            DeliveredAt = T0.AddDays(-3),
            Amount = 1499.50m,
            Currency = "EUR",
        },
        RequesterKey = requester,
        QuestionSetId = "it-hardware",
        QuestionSetVersion = 1,
        Status = status,
        DueAt = due ?? T0,
        CreatedAt = T0.AddDays(-3),
    };
}
