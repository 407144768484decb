using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.Logging;

/// <summary>
/// The main flows run with every log line captured (messages, structured values, scopes, exceptions): none names a
/// person by email or name, or quotes what they answered.
/// </summary>
public sealed class PersonalDataInLogsTests(LoggedBotApp app) : IClassFixture<LoggedBotApp>
{
    [Fact]
    public async Task No_email_name_or_answer_text_of_the_people_in_the_main_flows_reaches_a_log()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var waiting = $"wanda.waits.{tag}@contoso.com";
        var answerer = new TeamsUser($"Wilhelmina Zweistein{tag}", $"wilhelmina.{tag}@contoso.com");
        var failing = new TeamsUser($"Fortunato Failsend{tag}", $"fortunato.{tag}@contoso.com");
        var answerText = $"The hinge squeaks like a goose {tag}";
        var erased = $"erin.erased.{tag}@contoso.com";

        // A check-in that waits until its requester installs the bot.
        (await app.PostPurchasesAsync(BotApp.Purchase(waiting, $"PO-WAIT-{tag}"))).EnsureSuccessStatusCode();
        await app.DispatchAsync();
        Assert.Equal(CheckInStatus.AwaitingContact, (await app.Store.GetCheckInAsync($"PO-WAIT-{tag}", default))!.Status);

        // A check-in answered, with words of the person's own.
        await app.InstallAsync(answerer);
        (await app.PostPurchasesAsync(BotApp.Purchase(answerer.Email, $"PO-ANSWER-{tag}"))).EnsureSuccessStatusCode();
        await app.DispatchAsync();
        var card = (await app.Store.GetCheckInAsync($"PO-ANSWER-{tag}", default))!.CardMessageId!;
        var submit = TeamsActivities.Submit(answerer, app.Connector.ServiceUrl, card,
            TeamsActivities.Answers($"PO-ANSWER-{tag}", ("overall", "2"), ("onTime", "no"), ("workingOutOfBox", "Yes, right away"), ("whatWentWrong", answerText)));
        (await app.SendAsync(submit)).EnsureSuccessStatusCode();
        Assert.Contains((await app.Store.GetCheckInAsync($"PO-ANSWER-{tag}", default))!.Answers, a => a.Value == answerText);

        // A send that fails.
        await app.InstallAsync(failing);
        (await app.PostPurchasesAsync(BotApp.Purchase(failing.Email, $"PO-FAIL-{tag}"))).EnsureSuccessStatusCode();
        app.Connector.FailNext("POST", 403, "MessageWritesBlocked");
        await app.DispatchAsync();
        Assert.Equal(CheckInStatus.Failed, (await app.Store.GetCheckInAsync($"PO-FAIL-{tag}", default))!.Status);

        // An erasure refused for want of a key, then one done.
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminRequests.SendAsync(app.CreateClient(), HttpMethod.Delete, $"/api/admin/people/{erased}", key: "wrong-key")).StatusCode);
        (await AdminRequests.SendAsync(app.CreateClient(), HttpMethod.Delete, $"/api/admin/people/{answerer.Email}", LoggedBotApp.AdminKey)).EnsureSuccessStatusCode();

        var lines = app.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        string[] secrets =
        [
            waiting, answerer.Email, failing.Email, erased, Uri.EscapeDataString(erased), answerer.Name, failing.Name,
            answerer.Name.Split(' ')[0], failing.Name.Split(' ')[0], answerText,
        ];
        var leaks = lines.SelectMany(line => secrets.Where(s => line.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"'{s}' in: {line}")).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log lines name a person or quote an answer:\n{string.Join("\n", leaks.Take(10))}");
    }
}
