using System.Globalization;
using ProcurementBot.CheckIns;
using ProcurementBot.Rollups;
using Xunit.Abstractions;

namespace ProcurementBot.Tests.Crash;

/// <summary>
/// A real bot process is SIGKILLed while its background sender fans check-ins out for many accepted purchases: the
/// connector stand-in answers a few sends and holds the rest, and the kill comes as soon as the answered ones start to
/// be saved as sent, while others of them are still being recorded. The restart takes the crashed instance's claims
/// over once their short leases end.
/// </summary>
public sealed class FanOutCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Purchases = 40;
    private const int SendsLetThrough = 12;
    private const int SavedBeforeKill = 1;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    private readonly string _supplier = $"Contoso Fan {Guid.NewGuid():N}"[..24];
    private TeamsConnectorStub _connector = null!;
    private BotProcess _bot = null!;

    public async Task InitializeAsync()
    {
        _connector = await TeamsConnectorStub.StartAsync();
        _bot = await BotProcess.StartAsync(
        [
            new("CheckIns:PollInterval", "00:00:00.200"),
            // A crashed instance's claims end soon, so the test sees the restart take them over.
            new("CheckIns:LeaseDuration", "00:00:05"),
            new("Pacing:Enabled", "false"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [Fact]
    public async Task After_a_kill_while_check_ins_are_being_sent_every_purchase_gets_its_check_in_counted_once_and_only_sends_in_flight_are_repeated()
    {
        var month = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var requesters = new List<(TeamsUser User, string PurchaseId)>();
        for (var i = 0; i < Purchases; i++)
        {
            var user = new TeamsUser($"Requester {i}", $"fanout{i}.{Guid.NewGuid():N}@contoso.com");
            _connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);
            (await _bot.SendAsync(TeamsActivities.Installed(user, _connector.ServiceUrl))).EnsureSuccessStatusCode();
            requesters.Add((user, $"PO-FANOUT-{i:D2}"));
        }

        // A few sends are answered, the rest held; the purchases are accepted all at once, as a nightly import posts them.
        var held = _connector.HoldActivitiesAsync(SendsLetThrough);
        var accepted = await Task.WhenAll(requesters.Select(r => _bot.PostPurchasesAsync(Purchase(r.PurchaseId, r.User.Email))));
        Assert.All(accepted, a => a.EnsureSuccessStatusCode());
        var ids = requesters.Select(r => r.PurchaseId).ToList();
        await held.WaitAsync(Bound);

        // The kill comes as the answered sends begin to be saved as sent, at the bot's next write after the first such
        // save: some saved, some not yet, some maybe being counted in the results.
        await BotData.KillAtNextWriteAsync(_bot, CheckInStatus.InProgress, SavedBeforeKill, Bound);
        var heldAtKill = _connector.ActivitiesHeld;
        _connector.ReleaseActivities();
        var cardsAtKill = CardsPerConversation();
        var atKill = await BotData.CheckInsAsync(_bot, ids);
        var sentAtKill = ids.Zip(atKill).Where(p => p.Second is { Status: CheckInStatus.InProgress }).Select(p => p.First).ToHashSet(StringComparer.Ordinal);
        var countedAtKill = (await SupplierRollupAsync(month))?.SentCheckInIds.ToHashSet(StringComparer.Ordinal) ?? [];
        // A send is in flight when its card went (or may have: held ones count) but the check-in was not yet saved as sent.
        var inFlightAtKill = requesters.Count(r => cardsAtKill.ContainsKey(r.User.ConversationId) && !sentAtKill.Contains(r.PurchaseId));

        await _bot.RestartAsync();
        var cards = new Dictionary<string, int>();
        string Counts() =>
            $"Purchases accepted {accepted.Length}; at the kill: saved as sent {sentAtKill.Count}, counted as sent in the results {countedAtKill.Count}, "
            + $"sends held {heldAtKill}, sends in flight {inFlightAtKill} (cards out {cardsAtKill.Values.Sum()}); "
            + $"in the end: cards delivered {cards.Values.Sum()}, people with more than one card {cards.Count(c => c.Value > 1)}, duplicates {cards.Values.Sum(c => Math.Max(0, c - 1))}.";

        // What was saved as sent is counted in the results in the same breath: a kill between the two must not lose the count.
        var uncounted = sentAtKill.Where(id => !countedAtKill.Contains(id)).ToList();
        Assert.True(uncounted.Count == 0, $"Saved as sent but not counted in the results at the kill: {string.Join(", ", uncounted)}.\n{Counts()}\n{_bot.Output}");

        var sent = await BotData.WaitForAllAsync(_bot, ids, c => c is { Status: CheckInStatus.InProgress, CardMessageId: not null, LeaseOwner: null }, Bound, Counts);
        cards = CardsPerConversation();

        // Lost 0: every purchase's check-in reached its requester; a second card only where the first was in flight at the kill.
        foreach (var ((user, purchaseId), checkIn) in requesters.Zip(sent))
        {
            var got = cards.GetValueOrDefault(user.ConversationId);
            Assert.True(got >= 1, $"{purchaseId}'s requester got no card.\n{Counts()}\n{_bot.Output}");
            Assert.True(got == 1 || (cardsAtKill.ContainsKey(user.ConversationId) && !sentAtKill.Contains(purchaseId)),
                $"{purchaseId}'s requester got {got} cards, but no send of it was in flight at the kill.\n{Counts()}\n{_bot.Output}");
            Assert.True(got <= 2, $"{purchaseId}'s requester got {got} cards.\n{Counts()}\n{_bot.Output}");
        }

        Assert.True(cards.Keys.All(k => requesters.Any(r => r.User.ConversationId == k)), $"A card went to a conversation of nobody's.\n{Counts()}");
        var duplicates = cards.Values.Sum(c => Math.Max(0, c - 1));
        Assert.True(duplicates <= inFlightAtKill, $"More cards were repeated than sends were in flight at the kill.\n{Counts()}\n{_bot.Output}");

        // The results count each check-in as sent once, however often its card went.
        var line = await BotData.WaitForSupplierLineAsync(_bot, month, _supplier, l => l?["sent"]?.GetValue<int>() >= Purchases, Bound, Counts);
        Assert.True(line["sent"]!.GetValue<int>() == Purchases, $"The month's figures for the supplier: {line.ToJsonString()}; {Purchases} check-ins sent.\n{Counts()}");
        output.WriteLine(Counts());
    }

    /// <summary>The check-in cards each personal chat received, held ones included: a send whose caller died may have been shown.</summary>
    private Dictionary<string, int> CardsPerConversation() => _connector.Calls
        .Where(c => c.Method == "POST" && c.Card is not null && c.Path.Split('/') is [_, "v3", "conversations", _, "activities"])
        .GroupBy(c => c.Path.Split('/')[3], StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private Task<Rollup?> SupplierRollupAsync(string month) =>
        BotData.ReadAsync(_bot, s => s.GetRollupAsync(Rollup.KeyFor(RollupDimension.Supplier, _supplier, month), default));

    /// <summary>A purchase of this test's supplier, its check-in due now (an explicit time: no working hours, no batching).</summary>
    private object Purchase(string purchaseId, string requesterEmail) => new
    {
        purchaseId,
        requesterEmail,
        supplier = _supplier,
        category = "general",
        description = "Standing desk",
        deliveredAt = DateTimeOffset.UtcNow.AddDays(-3).ToString("O"),
        checkInAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
    };
}
