using System.Globalization;
using Microsoft.Azure.Cosmos;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;
using ProcurementBot.Slack;
using ProcurementBot.Storage.Cosmos;
using Xunit.Abstractions;

namespace ProcurementBot.Tests.Storage;

/// <summary>
/// The request charge of the store calls of the hot paths, written to the test output. On the local
/// emulator every request is charged a flat 1 RU, so the figures there count requests; a real account
/// (<c>PROCUREMENTBOT_COSMOS_CONNECTION_STRING</c>) gives real request units.
/// </summary>
public sealed class CosmosRequestChargeTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _database = CosmosEmulator.UniqueDatabaseName("charge");
    private readonly List<CosmosClient> _clients = [];
    private CosmosStore _store = null!;

    public async Task InitializeAsync()
    {
        var emulator = await CosmosEmulator.SharedAsync();
        _store = CosmosStoreContractTests.NewStore(emulator, _database, _clients);
        await _store.InitializeAsync(default);
        output.WriteLine(emulator.IsLocal ? "Local emulator: charges are illustrative (it reports a flat charge per request)." : "Real Cosmos DB account.");
    }

    public async Task DisposeAsync()
    {
        using var response = await _clients[0].GetDatabase(_database).DeleteStreamAsync();
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task A_typed_answer_turn_and_an_escalation_lifecycle_report_their_request_charges()
    {
        var person = new Person { Id = "msteams:29:1alice", Channel = "msteams", UserId = "29:1alice", Email = "alice@contoso.com", FirstSeenAt = T0, UpdatedAt = T0 };
        await _store.UpsertPersonAsync(person, default);
        await _store.AddCheckInsAsync([CheckInFor("PO-1")], default);
        var claimed = Assert.Single(await _store.ClaimDueCheckInsAsync(T0, "a", T0.AddMinutes(2), 10, default));
        Assert.NotNull(await _store.TryReplaceCheckInAsync(claimed with { Status = CheckInStatus.InProgress, PersonId = person.Id, SentAt = T0, LeaseOwner = null, LeaseUntil = null }, default));

        // A typed answer that leaves the check-in open, then the one that completes it: the turn's store calls.
        var answer = await MeasureAsync("typed answer (check-in stays open)", async () =>
        {
            var who = await _store.GetPersonAsync(person.Id, default);
            var open = (await _store.FindOpenCheckInAsync("alice@contoso.com", who!.Id, default))!;
            Assert.NotNull(await _store.TryReplaceCheckInAsync(open with { Answers = [Answer.Of(Rating, new ParsedValue("2", 2), T0)] }, default));
        });
        var completing = await MeasureAsync("typed answer (completes the check-in)", async () =>
        {
            var who = await _store.GetPersonAsync(person.Id, default);
            var open = (await _store.FindOpenCheckInAsync("alice@contoso.com", who!.Id, default))!;
            Assert.NotNull(await _store.TryReplaceCheckInAsync(open with { Status = CheckInStatus.Completed, CompletedAt = T0 }, default));
        });
        var idlePoll = await MeasureAsync("claim poll, nothing due", () => _store.ClaimDueCheckInsAsync(T0.AddDays(1), "a", T0.AddDays(1).AddMinutes(2), 10, default));

        // An escalation from raise to resolve.
        var id = Escalation.IdForCheckIn("PO-1");
        var lifecycle = 0.0;
        lifecycle += await MeasureAsync("escalation: raise", () => _store.AddEscalationAsync(EscalationFor(id), default));
        Escalation current = null!;
        lifecycle += await MeasureAsync("escalation: claim", async () => current = Assert.Single(await _store.ClaimEscalationWorkAsync(T0, "a", T0.AddMinutes(2), 10, default)));
        lifecycle += await MeasureAsync("escalation: posted", async () => current = (await _store.TryReplaceEscalationAsync(current with
        {
            Card = new PostedCard("msteams", "https://smba.trafficmanager.net/emea/", "19:general@thread.tacv2", "17", "19:team@thread.tacv2"),
            NextActionAt = T0.AddHours(4),
            LeaseOwner = null,
            LeaseUntil = null,
        }, default))!);
        lifecycle += await MeasureAsync("escalation: acknowledge", async () =>
        {
            var read = (await _store.GetEscalationAsync(id, default))!;
            current = (await _store.TryReplaceEscalationAsync(read with { Status = EscalationStatus.Acknowledged, AcknowledgedAt = T0.AddHours(1), AcknowledgedBy = "Bob", Revision = 1 }, default))!;
        });
        lifecycle += await MeasureAsync("escalation: resolve", async () =>
        {
            var read = (await _store.GetEscalationAsync(id, default))!;
            current = (await _store.TryReplaceEscalationAsync(read with { Status = EscalationStatus.Resolved, ResolvedAt = T0.AddHours(2), ResolvedBy = "Bob", Revision = 2, NextActionAt = null }, default))!;
        });
        Assert.NotNull(current);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"escalation lifecycle total: {lifecycle:F2} RU"));
        Assert.True(answer > 0 && completing >= answer && idlePoll > 0);

        // Request budgets from docs/cosmos.md: a hot path that starts to make more round trips fails here.
        Assert.Equal(
            [("typed answer (check-in stays open)", true), ("typed answer (completes the check-in)", true), ("claim poll, nothing due", true), ("escalation lifecycle", true)],
            new[]
            {
                ("typed answer (check-in stays open)", _requests["typed answer (check-in stays open)"] <= 5),
                ("typed answer (completes the check-in)", _requests["typed answer (completes the check-in)"] <= 9),
                ("claim poll, nothing due", _requests["claim poll, nothing due"] <= 8),
                ("escalation lifecycle", _requests.Where(r => r.Key.StartsWith("escalation:", StringComparison.Ordinal)).Sum(r => r.Value) <= 23),
            });
    }

    [Fact]
    public async Task A_Slack_item_stored_claimed_and_done_reports_its_request_charges()
    {
        var item = new SlackItem("event:Ev1", SlackItemKind.Event, "U1", 1, """{"event":{"text":"four"}}""", T0) { NextAttemptAt = T0 };

        await MeasureAsync("slack: store before the 200", async () => Assert.True(await _store.TryAddSlackItemAsync(item, default)));
        SlackItem claimed = null!;
        await MeasureAsync("slack: claim", async () => claimed = Assert.Single(await _store.ClaimSlackItemsAsync(T0, "a", T0.AddMinutes(2), 16, default)));
        await MeasureAsync("slack: done", async () => Assert.NotNull(await _store.TryReplaceSlackItemAsync(claimed with { Done = true, DoneAt = T0, Payload = "", LeaseOwner = null, LeaseUntil = null }, default)));
        await MeasureAsync("slack: idle poll", async () => Assert.Empty(await _store.ClaimSlackItemsAsync(T0, "a", T0.AddMinutes(2), 16, default)));

        // Budgets from docs/cosmos.md: a claim is 8 shard queries of a few fields, then a read and a lease per item.
        Assert.Equal((1, 10, 1, 8), (_requests["slack: store before the 200"], _requests["slack: claim"], _requests["slack: done"], _requests["slack: idle poll"]));
    }

    private readonly Dictionary<string, long> _requests = [];

    private async Task<double> MeasureAsync(string what, Func<Task> step)
    {
        var (charge, count) = (_store.RequestCharge, _store.RequestCount);
        await step();
        var spent = _store.RequestCharge - charge;
        _requests[what] = _store.RequestCount - count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {spent:F2} RU in {_store.RequestCount - count} requests"));
        return spent;
    }

    private static readonly Question Rating = new() { Id = "overall", Type = QuestionType.Rating, Text = "How happy are you with {description}?" };

    private static CheckIn CheckInFor(string id) => new()
    {
        Id = id,
        Purchase = new Purchase
        {
            PurchaseId = id,
            RequesterEmail = "alice@contoso.com",
            Supplier = "Dell",
            Category = "laptops",
            Description = "Latitude 7450",
            DeliveredAt = T0.AddDays(-3),
            Amount = 1499.50m,
            Currency = "EUR",
        },
        RequesterKey = "alice@contoso.com",
        QuestionSetId = "it-hardware",
        QuestionSetVersion = 1,
        Status = CheckInStatus.Scheduled,
        DueAt = T0,
        CreatedAt = T0.AddDays(-3),
    };

    private static Escalation EscalationFor(string id) => new()
    {
        Id = id,
        Kind = EscalationKind.CheckIn,
        Supplier = "Dell",
        Category = "laptops",
        CheckInId = "PO-1",
        Rules = [new("low-rating", Severity.High, "Rated 2 or less")],
        Severity = Severity.High,
        Status = EscalationStatus.Open,
        CreatedAt = T0,
        NextActionAt = T0,
    };
}
