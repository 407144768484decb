using System.Globalization;
using ProcurementBot.CheckIns;
using Xunit.Abstractions;

namespace ProcurementBot.Tests.Crash;

/// <summary>
/// A real bot process is SIGKILLed while many people answer their check-ins through <c>/api/messages</c>, on cards and
/// by typing: the connector stand-in holds the bot's replies once a few went through, and the kill comes when the
/// first is held. After the restart every request the bot did not acknowledge is sent again, as Bot Framework retries
/// it, and some it did acknowledge too (a channel retry, same activity id).
/// </summary>
public sealed class TeamsAnswerCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Answer the whole card in one submit; type the last answer during the crash (the first typed before it);
    // type the first answer during the crash and the last after the restart.
    private enum Way { Card, TypedLast, TypedFirst }

    private const int PerWay = 14;
    private const int RepliesLetThrough = 24;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    private readonly string _supplier = $"Contoso Crash {Guid.NewGuid():N}"[..26];
    private TeamsConnectorStub _connector = null!;
    private BotProcess _bot = null!;

    public async Task InitializeAsync()
    {
        _connector = await TeamsConnectorStub.StartAsync();
        _bot = await BotProcess.StartAsync(
        [
            new("CheckIns:PollInterval", "00:00:00.500"),
            new("CheckIns:LeaseDuration", "00:00:05"),
            new("Escalations:PollInterval", "00:00:00.500"),
            // The finish sweep works under the escalation worker's lease: a crashed instance's ends soon.
            new("Escalations:LeaseDuration", "00:00:05"),
            new("Pacing:Enabled", "false"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
    }

    private sealed record Requester(TeamsUser User, string PurchaseId, Way Way)
    {
        /// <summary>The answers stored in the end, in the question set's order, exactly as sent.</summary>
        public string Expected => Way switch
        {
            Way.Card => "overall=5, onTime=yes, recommend=9",
            Way.TypedLast => "overall=4, onTime=yes, recommend=8",
            _ => "overall=3, onTime=yes, recommend=7",
        };
    }

    [Fact]
    public async Task After_a_kill_while_answers_arrive_and_the_channel_retries_every_answer_is_stored_once_and_counted_once()
    {
        var month = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var requesters = new List<Requester>();
        foreach (var way in Enum.GetValues<Way>())
        {
            for (var i = 0; i < PerWay; i++)
            {
                var user = new TeamsUser($"Requester {way} {i}", $"{way.ToString().ToLowerInvariant()}{i}.{Guid.NewGuid():N}@contoso.com");
                _connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);
                (await _bot.SendAsync(TeamsActivities.Installed(user, _connector.ServiceUrl))).EnsureSuccessStatusCode();
                var purchaseId = $"PO-ANSWER-{way}-{i:D2}";
                (await _bot.PostPurchasesAsync(Purchase(purchaseId, user.Email))).EnsureSuccessStatusCode();
                requesters.Add(new Requester(user, purchaseId, way));
            }
        }

        var ids = requesters.Select(r => r.PurchaseId).ToList();
        var sent = await BotData.WaitForAllAsync(_bot, ids, c => c is { Status: CheckInStatus.InProgress, CardMessageId: not null }, Bound, () => "Before the crash.");
        // Every send counted into the results before anything else happens, so the kill cannot cut that short.
        await BotData.WaitForSupplierLineAsync(_bot, month, _supplier, line => line?["sent"]?.GetValue<int>() == ids.Count, Bound, () => "Waiting for: sent.");

        // Typed answers are one question at a time: the first two of these are given, and acknowledged, before the crash.
        foreach (var requester in requesters.Where(r => r.Way == Way.TypedLast))
        {
            (await _bot.SendAsync(TeamsActivities.Message(requester.User, _connector.ServiceUrl, "4"))).EnsureSuccessStatusCode();
            (await _bot.SendAsync(TeamsActivities.Message(requester.User, _connector.ServiceUrl, "yes"))).EnsureSuccessStatusCode();
        }

        var answers = requesters.Zip(sent).Select(p => p.First.Way switch
        {
            Way.Card => TeamsActivities.Submit(p.First.User, _connector.ServiceUrl, p.Second.CardMessageId!,
                TeamsActivities.Answers(p.First.PurchaseId, ("overall", "5"), ("onTime", "yes"), ("recommend", "9")), id: $"card-{p.First.PurchaseId}"),
            Way.TypedLast => TeamsActivities.Message(p.First.User, _connector.ServiceUrl, "8", id: $"typed-last-{p.First.PurchaseId}"),
            _ => TeamsActivities.Message(p.First.User, _connector.ServiceUrl, "3", id: $"typed-first-{p.First.PurchaseId}"),
        }).ToList();

        // Two of three at once; the bot's replies are held once a few went through, and the kill comes at the first
        // held. The third arrive while the bot is down, so some answers reach it only on the channel's retry.
        var held = _connector.HoldActivitiesAsync(RepliesLetThrough);
        var sends = answers.Select((a, i) => i % 3 == 2 ? null : BotData.AcknowledgedAsync(_bot, a)).ToList();
        await held.WaitAsync(Bound);
        _bot.Kill();
        var heldAtKill = _connector.ActivitiesHeld;
        _connector.ReleaseActivities();
        var acknowledged = await Task.WhenAll(sends.Select((s, i) => s ?? BotData.AcknowledgedAsync(_bot, answers[i])));

        await _bot.RestartAsync();

        // Before any retry: every acknowledged answer is in the store.
        var afterRestart = await BotData.CheckInsAsync(_bot, ids);
        var storedBeforeReplay = requesters.Zip(afterRestart).Count(p => HasCrashAnswer(p.First, p.Second));
        var lostAcknowledged = requesters.Zip(afterRestart, acknowledged).Where(t => t.Third && !HasCrashAnswer(t.First, t.Second)).Select(t => t.First.PurchaseId).ToList();
        var replayed = 0;
        var replayedAcknowledged = 0;
        string Counts() =>
            $"Answers sent around the crash: {answers.Count} ({sends.Count(s => s is null)} while the bot was down); acknowledged {acknowledged.Count(a => a)}; replies held at the kill {heldAtKill}; "
            + $"stored before any retry {storedBeforeReplay}; replayed {replayed} (un-acknowledged {acknowledged.Count(a => !a)}, acknowledged {replayedAcknowledged}; "
            + $"then all {answers.Count} once more, late).";
        Assert.True(lostAcknowledged.Count == 0, $"Acknowledged answers were lost: {string.Join(", ", lostAcknowledged)}.\n{Counts()}\n{_bot.Output}");

        // The channel retries what was not acknowledged, and (a retry of its own) every third acknowledged one too.
        foreach (var (activity, ok, index) in answers.Zip(acknowledged, Enumerable.Range(0, answers.Count)))
        {
            if (!ok || index % 3 == 0)
            {
                replayed++;
                replayedAcknowledged += ok ? 1 : 0;
                Assert.True(await BotData.AcknowledgedAsync(_bot, activity), $"A retry of {activity["id"]} was not acknowledged.\n{Counts()}\n{_bot.Output}");
            }
        }

        // Then those who typed their first answer during the crash type the next.
        foreach (var requester in requesters.Where(r => r.Way == Way.TypedFirst))
        {
            var checkIn = (await BotData.CheckInsAsync(_bot, [requester.PurchaseId]))[0]!;
            Assert.True(checkIn is { Status: CheckInStatus.InProgress } && Answers(checkIn) == "overall=3",
                $"{requester.PurchaseId} should wait for its second answer with its first stored once: {checkIn.Status}, {Answers(checkIn)}.\n{Counts()}\n{_bot.Output}");
            (await _bot.SendAsync(TeamsActivities.Message(requester.User, _connector.ServiceUrl, "yes"))).EnsureSuccessStatusCode();
        }

        // A late retry of every answer of the crash (same activity ids): a typed "3" now meets the 0-10 question, and
        // stored again it would answer that too.
        foreach (var activity in answers)
        {
            Assert.True(await BotData.AcknowledgedAsync(_bot, activity), $"A late retry of {activity["id"]} was not acknowledged.\n{Counts()}\n{_bot.Output}");
        }

        foreach (var requester in requesters.Where(r => r.Way == Way.TypedFirst))
        {
            var checkIn = (await BotData.CheckInsAsync(_bot, [requester.PurchaseId]))[0]!;
            Assert.True(checkIn is { Status: CheckInStatus.InProgress } && Answers(checkIn) == "overall=3, onTime=yes",
                $"{requester.PurchaseId} should wait for its last answer with the others stored once: {checkIn.Status}, {Answers(checkIn)}.\n{Counts()}\n{_bot.Output}");
            (await _bot.SendAsync(TeamsActivities.Message(requester.User, _connector.ServiceUrl, "7"))).EnsureSuccessStatusCode();
        }

        var finished = await BotData.WaitForAllAsync(_bot, ids, c => c is { Status: CheckInStatus.Completed, FinishPending: false, LeaseOwner: null }, Bound, Counts);
        foreach (var (requester, checkIn) in requesters.Zip(finished))
        {
            Assert.True(Answers(checkIn) == requester.Expected,
                $"{requester.PurchaseId} ({requester.Way}) stored [{Answers(checkIn)}], sent [{requester.Expected}].\n{Counts()}\n{_bot.Output}");
            Assert.NotNull(checkIn.CompletedAt);
        }

        // The results list each finished check-in once, and the month's figures count each once.
        var responses = (await _bot.GetAdminAsync($"api/admin/responses?supplier={Uri.EscapeDataString(_supplier)}&pageSize=500"))!["items"]!.AsArray();
        var listed = responses.Select(r => r!["purchaseId"]!.GetValue<string>()).ToList();
        Assert.True(listed.Count == ids.Count && listed.Distinct().Count() == ids.Count,
            $"The results list {listed.Count} responses ({listed.Distinct().Count()} distinct) for {ids.Count} finished check-ins.\n{Counts()}");
        var line = await BotData.WaitForSupplierLineAsync(_bot, month, _supplier, l => l?["responses"]?.GetValue<int>() >= ids.Count, Bound, () => "Waiting for: responses.");
        Assert.True(line["responses"]!.GetValue<int>() == ids.Count && line["sent"]!.GetValue<int>() == ids.Count && line["ratings"]!.GetValue<int>() == ids.Count
            && line["npsAnswers"]!.GetValue<int>() == ids.Count,
            $"The month's figures for the supplier: {line.ToJsonString()}; {ids.Count} check-ins sent and finished, each rated and scored once.\n{Counts()}");
        output.WriteLine($"{Counts()} Stored in the end: {finished.Count} check-ins, each with its answers once; duplicates 0.");
    }

    /// <summary>Whether the answer sent during the crash is in the stored check-in.</summary>
    private static bool HasCrashAnswer(Requester requester, CheckIn? checkIn) => checkIn is not null && requester.Way switch
    {
        Way.TypedFirst => checkIn.Answers.Any(a => a.QuestionId == "overall"),
        _ => checkIn.Answers.Any(a => a.QuestionId == "recommend"),
    };

    private static string Answers(CheckIn checkIn) => string.Join(", ", checkIn.Answers.Select(a => $"{a.QuestionId}={a.Value}"));

    /// <summary>A purchase from this test's supplier, its check-in due now (an explicit time: no working hours, no batching).</summary>
    private object Purchase(string purchaseId, string requesterEmail) => new
    {
        purchaseId,
        requesterEmail,
        supplier = _supplier,
        // The services set asks a 1-5 rating, yes or no, then 0-10: a number typed for the first fits the last too.
        category = "services",
        description = "Office move",
        deliveredAt = DateTimeOffset.UtcNow.AddDays(-3).ToString("O"),
        checkInAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
    };
}
