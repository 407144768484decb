using System.Globalization;
using System.Net.Http.Headers;
using ProcurementBot.CheckIns;
using ProcurementBot.Slack;
using ProcurementBot.Storage.Sqlite;
using Xunit.Abstractions;

namespace ProcurementBot.Tests.Crash;

/// <summary>
/// A real bot process is SIGKILLed while it works 50 Slack answers it has acknowledged (the kill comes when the Slack
/// stand-in holds its first reply), then restarted on its data. Slack does not retry what it was told was received, so
/// nothing is replayed: every answer must come from the bot's own store.
/// </summary>
public sealed class SlackCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int People = 50;
    private const string Category = "office-supplies";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    private SlackApiStandIn _slack = null!;
    private BotProcess _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackApiStandIn.StartAsync();
        _bot = await BotProcess.StartAsync(
        [
            .. BotProcess.Slack(_slack.ApiBaseUrl, SlackBotApp.SigningSecret, SlackApiStandIn.BotToken),
            new("Slack:AllowedTeams:0", SlackApiStandIn.TeamId),
            new("CheckIns:PollInterval", "00:00:00.500"),
            // A crashed instance's leases end soon, so the test sees the restart take its work over.
            // (A handler gets three quarters of it, ample for the stand-in even on a busy machine.)
            new("Slack:Inbox:LeaseDuration", "00:00:05"),
            new("Slack:Inbox:PollInterval", "00:00:00.500"),
            new("Pacing:Enabled", "false"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task A_kill_while_acknowledged_Slack_answers_are_worked_loses_none_and_stores_none_twice()
    {
        // The workspace's members are known already (as if each had written to the bot before): finding 50 new people
        // by email would take Slack's Tier 3 pacing most of a minute, and that path is tested elsewhere.
        var members = new List<(SlackMember Member, string PurchaseId)>();
        _bot.Kill();
        for (var i = 0; i < People; i++)
        {
            var member = _slack.AddMember(new SlackMember($"U0CRASH{i:D3}", $"crash{i}.{Guid.NewGuid():N}@contoso.com", $"Casey Crash{i}"));
            await ReadAsync(async s =>
            {
                await s.UpsertPersonAsync(SlackPayloads.PersonOf(member, DateTimeOffset.UtcNow, SlackPayloads.DirectMessageOf(member)), default);
                return 0;
            });
            members.Add((member, $"PO-SLK-CRASH-{i:D3}"));
        }

        await _bot.RestartAsync();
        foreach (var (member, purchaseId) in members)
        {
            (await _bot.PostPurchasesAsync(BotApp.Purchase(member.Email, purchaseId, Category))).EnsureSuccessStatusCode();
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (_, purchaseId) in members)
        {
            await WaitForAsync(purchaseId, c => c.Status == CheckInStatus.InProgress && c.CardMessageId is not null);
        }

        output.WriteLine($"{People} check-ins sent in {watch.Elapsed.TotalSeconds:0.0} s");

        // Everyone types their rating; all 50 are acknowledged, and the kill comes as the first reply is being sent.
        var held = _slack.HoldAsync("chat.postMessage");
        var answers = members.Select(m => SlackPayloads.DirectMessage(m.Member, "4")).ToList();
        var acknowledged = await Task.WhenAll(answers.Select(PostEventAsync));
        Assert.All(acknowledged, ok => Assert.True(ok, $"An answer was not acknowledged.\n{_bot.Output}"));
        await held.WaitAsync(Bound);
        _bot.Kill();
        var heldAtKill = Asking(_slack.CallsOf("chat.postMessage"));
        _slack.ReleaseHeld();
        var unfinishedAtKill = await ReadAsync(s => s.CountUnfinishedSlackItemsAsync(default));

        output.WriteLine($"killed at {watch.Elapsed.TotalSeconds:0.0} s");
        await _bot.RestartAsync();
        output.WriteLine($"restarted at {watch.Elapsed.TotalSeconds:0.0} s");

        // Lost 0: every acknowledged rating is stored, once, and everyone hears the next question.
        foreach (var (member, purchaseId) in members)
        {
            var answered = await WaitForAsync(purchaseId, c => c.Answers.Count > 0);
            Assert.Equal(["overall:4"], answered.Answers.Select(a => $"{a.QuestionId}:{a.Value}"));
            await WaitForMessageAsync(SlackPayloads.DirectMessageOf(member), "(2/2)");
        }

        await WaitForInboxEmptyAsync();
        var calls = Asking(_slack.CallsOf("chat.postMessage"));
        var delivered = members.Select(m => _slack.MessagesIn(SlackPayloads.DirectMessageOf(m.Member)).Count(x => x.Text?.Contains("(2/2)", StringComparison.Ordinal) == true)).ToList();

        // Duplicates only where a reply was in flight at the kill: the restart says those again (a held call may still
        // have reached Slack), so nobody hears the question more than twice, and the repeats are at most the calls held.
        var figures = $"{People} acknowledged, {unfinishedAtKill} unfinished in the store at the kill, {heldAtKill} replies in flight at the kill, "
            + $"{calls} reply calls in all, {delivered.Sum()} replies delivered";
        output.WriteLine($"done at {watch.Elapsed.TotalSeconds:0.0} s: {figures}");
        Assert.True(unfinishedAtKill > 0, $"The kill came after everything was done, so it proves nothing: {figures}");
        Assert.True(delivered.All(n => n is 1 or 2), $"Each person hears the next question, at most twice: {figures}\n{_bot.Output}");
        Assert.True(delivered.Sum() - People <= heldAtKill, $"More repeats than replies in flight at the kill: {figures}\n{_bot.Output}");
        Assert.True(calls <= People + heldAtKill, $"More reply calls than answers and the ones in flight: {figures}\n{_bot.Output}");
        Assert.Contains("===== run 3 =====", _bot.Output, StringComparison.Ordinal);
    }

    /// <summary>The calls that asked the second question: the reply to a rating.</summary>
    private static int Asking(IEnumerable<SlackCall> calls) => calls.Count(c => c.Arg("text")?.Contains("(2/2)", StringComparison.Ordinal) == true);

    private async Task<bool> PostEventAsync(JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/slack/events") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Sign(SlackBotApp.SigningSecret, timestamp, bytes));
        try
        {
            using var response = await _bot.Client.SendAsync(request);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
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

    private async Task WaitForMessageAsync(string channel, string text)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!_slack.MessagesIn(channel).Any(m => m.Text?.Contains(text, StringComparison.Ordinal) == true))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Nothing saying {text} in {channel}.\n{_bot.Output}");
            await Task.Delay(50);
        }
    }

    private async Task WaitForInboxEmptyAsync()
    {
        var deadline = DateTime.UtcNow + Bound;
        while (await ReadAsync(s => s.CountUnfinishedSlackItemsAsync(default)) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The Slack inbox did not empty.\n{_bot.Output}");
            await Task.Delay(50);
        }
    }

    private Task<T> ReadAsync<T>(Func<SqliteStore, Task<T>> read) => BotData.ReadAsync(_bot, read);
}
