using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.Storage.Sqlite;

namespace ProcurementBot.Tests.Crash;

/// <summary>
/// A real bot process is SIGKILLed while bad answers are being stored and their escalation cards posted (the kill
/// comes when the connector stand-in holds the first card post), then restarted on its data.
/// </summary>
public sealed class EscalationCrashTests : IAsyncLifetime
{
    private const int Requesters = 30;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    private readonly TeamsUser _admin = new("Adele Vance", $"adele.{Guid.NewGuid():N}@contoso.com");
    private TeamsConnectorStub _connector = null!;
    private BotProcess _bot = null!;

    public async Task InitializeAsync()
    {
        _connector = await TeamsConnectorStub.StartAsync();
        _bot = await BotProcess.StartAsync(
        [
            new("Admin:Users:0", _admin.AadObjectId),
            new("Admin:Users:1", _admin.Email),
            new("CheckIns:PollInterval", "00:00:00.500"),
            new("Escalations:PollInterval", "00:00:00.500"),
            // A crashed instance's leases end soon, so the test sees the restart take its work over.
            new("Escalations:LeaseDuration", "00:00:05"),
            new("Pacing:Enabled", "false"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [Fact]
    public async Task After_a_kill_between_storing_bad_answers_and_posting_their_cards_every_escalation_is_raised_and_posted_exactly_once()
    {
        var team = TeamsChannel.New();
        (await _bot.SendAsync(TeamsActivities.ChannelMessage(_admin, team, _connector.ServiceUrl, "escalate here"))).EnsureSuccessStatusCode();
        var requesters = new List<(TeamsUser User, string PurchaseId)>();
        for (var i = 0; i < Requesters; i++)
        {
            var user = new TeamsUser($"Requester {i}", $"requester{i}.{Guid.NewGuid():N}@contoso.com");
            _connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);
            (await _bot.SendAsync(TeamsActivities.Installed(user, _connector.ServiceUrl))).EnsureSuccessStatusCode();
            var purchaseId = $"PO-CRASH-{i:D3}";
            (await _bot.PostPurchasesAsync(EscalationBotApp.BadPurchase(purchaseId, user.Email, "laptops", null))).EnsureSuccessStatusCode();
            requesters.Add((user, purchaseId));
        }

        // Every check-in sent, and its first card answered (a 1-star rating, late): each now asks what went wrong.
        foreach (var (user, purchaseId) in requesters)
        {
            var sent = await WaitForAsync(purchaseId, c => c.Status == CheckInStatus.InProgress && c.CardMessageId is not null);
            (await _bot.SendAsync(TeamsActivities.Submit(user, _connector.ServiceUrl, sent.CardMessageId!, TeamsActivities.Answers(purchaseId, ("overall", "1"), ("onTime", "no"))))).EnsureSuccessStatusCode();
        }

        var lastAnswers = new List<(string PurchaseId, JsonObject Activity)>();
        foreach (var (user, purchaseId) in requesters)
        {
            var followUp = await WaitForAsync(purchaseId, c => c.Answers.Count >= 2 && c.CardMessageId is not null);
            lastAnswers.Add((purchaseId, TeamsActivities.Submit(user, _connector.ServiceUrl, followUp.CardMessageId!,
                TeamsActivities.Answers(purchaseId, ("whatWentWrong", "The screen was cracked.")), id: $"answer-{purchaseId}")));
        }

        // The finishing answers all at once; the kill comes when the first escalation card is being posted.
        var held = _connector.HoldThreadCreationsAsync();
        var sends = lastAnswers.Select(a => AcknowledgedAsync(a.Activity)).ToList();
        await held.WaitAsync(Bound);
        _bot.Kill();
        _connector.ReleaseThreadCreations();
        var acknowledged = await Task.WhenAll(sends);

        await _bot.RestartAsync();

        // Without any retry from the platform: every check-in stored as finished gets its escalation, posted.
        var stored = await FinishedAsync(requesters.Select(r => r.PurchaseId));
        Assert.True(stored.Count >= acknowledged.Count(a => a), $"Acknowledged answers were lost: {stored.Count} stored, {acknowledged.Count(a => a)} acknowledged.\n{_bot.Output}");
        await WaitForCardsAsync(stored);

        // The platform retries what was not acknowledged; each is then stored once and escalated too.
        foreach (var ((purchaseId, activity), ok) in lastAnswers.Zip(acknowledged))
        {
            if (!ok)
            {
                (await _bot.SendAsync(activity)).EnsureSuccessStatusCode();
            }
        }

        await WaitForCardsAsync(requesters.Select(r => r.PurchaseId).ToList());
        foreach (var (_, purchaseId) in requesters)
        {
            var id = Escalation.IdForCheckIn(purchaseId);
            var posts = _connector.ThreadsCreated.Count(t => t.ToJsonString().Contains(id, StringComparison.Ordinal));
            Assert.True(posts == 1, $"The card of {id} was posted {posts} times.\n{_bot.Output}");
            Assert.Equal(1, (await ReadAsync(s => s.GetCheckInAsync(purchaseId, default)))!.Answers.Count(a => a.QuestionId == "whatWentWrong"));
        }
    }

    private async Task<bool> AcknowledgedAsync(JsonObject activity)
    {
        try
        {
            using var response = await _bot.SendAsync(activity);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<string>> FinishedAsync(IEnumerable<string> purchaseIds)
    {
        var finished = new List<string>();
        foreach (var id in purchaseIds)
        {
            if ((await ReadAsync(s => s.GetCheckInAsync(id, default))) is { Status: CheckInStatus.Completed })
            {
                finished.Add(id);
            }
        }

        return finished;
    }

    private async Task WaitForCardsAsync(IReadOnlyList<string> purchaseIds)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var missing = new List<string>();
            foreach (var id in purchaseIds)
            {
                if ((await ReadAsync(s => s.GetEscalationAsync(Escalation.IdForCheckIn(id), default)))?.Card is null)
                {
                    missing.Add(id);
                }
            }

            if (missing.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No posted escalation for {string.Join(", ", missing)}.\n{_bot.Output}");
            await Task.Delay(100);
        }
    }

    private async Task<CheckIn> WaitForAsync(string purchaseId, Func<CheckIn, bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            if (await ReadAsync(s => s.GetCheckInAsync(purchaseId, default)) is { } checkIn && condition(checkIn))
            {
                return checkIn;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Check-in {purchaseId} did not get there.\n{_bot.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Reads the bot's SQLite file beside it, as another instance would.</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteStore, Task<T>> read)
    {
        using var store = new SqliteStore($"Data Source={Path.Combine(_bot.DataFolder, "bot.db")};Pooling=False");
        return await read(store);
    }
}
