using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// The whole bot with one chat admin (<see cref="Admin"/>, by AAD object id and email) and the escalation
/// worker off: tests post, remind and mark overdue with <see cref="ProcessEscalationsAsync"/>.
/// </summary>
public class EscalationBotApp : BotApp
{
    public TeamsUser Admin { get; } = new("Adele Vance", $"adele.{Guid.NewGuid():N}@contoso.com");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Admin:Users:0", Admin.AadObjectId),
        new("Admin:Users:1", Admin.Email),
        new("Escalations:WorkerEnabled", "false"),
    ];

    public Task<int> ProcessEscalationsAsync() => Services.GetRequiredService<EscalationWorker>().ProcessDueAsync(CancellationToken.None);

    /// <summary>Someone says "@ProcurementBot {text}" in the channel; returns the bot's answer in the thread.</summary>
    public async Task<string> SayInChannelAsync(TeamsUser who, TeamsChannel channel, string text, bool mentionBot = true)
    {
        var message = TeamsActivities.ChannelMessage(who, channel, Connector.ServiceUrl, text, mentionBot);
        var thread = message["conversation"]!["id"]!.GetValue<string>();
        (await SendAsync(message)).EnsureSuccessStatusCode();
        return Connector.Calls.Last(c => c.Method == "POST" && c.Path.Contains(thread, StringComparison.Ordinal)).Text!;
    }

    /// <summary>A Teams user who installed the bot and belongs to the procurement team.</summary>
    public async Task<TeamsUser> BuyerAsync(TeamsChannel team, string name)
    {
        var buyer = await InstallAsync(name, $"{name.Split(' ')[0].ToLowerInvariant()}.{Guid.NewGuid():N}@contoso.com");
        Connector.AddTeamMember(team.TeamId, buyer.UserId, buyer.Name, buyer.Email, buyer.AadObjectId);
        return buyer;
    }

    /// <summary>
    /// A purchase whose requester rates it 1 on the check-in card, says it was late and what went wrong.
    /// Returns the check-in id (the purchase id), whose escalation is then raised.
    /// </summary>
    public async Task<string> AnswerBadlyAsync(TeamsUser requester, string category, string? buyerEmail = null, string comment = "The screen was cracked and the charger missing.")
    {
        var purchaseId = $"PO-{Guid.NewGuid():N}"[..16];
        (await PostPurchasesAsync(BadPurchase(purchaseId, requester.Email, category, buyerEmail))).EnsureSuccessStatusCode();
        await DispatchAsync();

        var card = (await Store.GetCheckInAsync(purchaseId, default))!.CardMessageId!;
        await SendAsync(TeamsActivities.Submit(requester, Connector.ServiceUrl, card, TeamsActivities.Answers(purchaseId, ("overall", "1"), ("onTime", "no"))));
        var followUp = (await Store.GetCheckInAsync(purchaseId, default))!.CardMessageId!;
        await SendAsync(TeamsActivities.Submit(requester, Connector.ServiceUrl, followUp, TeamsActivities.Answers(purchaseId, ("whatWentWrong", comment))));
        Assert.Equal(CheckInStatus.Completed, (await Store.GetCheckInAsync(purchaseId, default))!.Status);
        return purchaseId;
    }

    /// <summary>A laptop from a supplier of its own (so no supplier trend builds up between tests), due for its check-in now.</summary>
    public static object BadPurchase(string purchaseId, string requesterEmail, string category, string? buyerEmail) => new
    {
        purchaseId,
        requesterEmail,
        supplier = $"Contoso Hardware {Guid.NewGuid():N}"[..26],
        category,
        description = "Latitude 7450 laptop",
        deliveredAt = DateTimeOffset.UtcNow.AddDays(-3).ToString("O"),
        amount = 1499.00m,
        currency = "EUR",
        buyerEmail,
        checkInAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
    };

    public async Task<Escalation> EscalationAsync(string checkInId) =>
        (await Store.GetEscalationAsync(Escalation.IdForCheckIn(checkInId), default))!;

    /// <summary>The request that posted the escalation's card as a new thread.</summary>
    public ConnectorCall ThreadCreation(Escalation escalation) =>
        Connector.Calls.Single(c => c.Method == "POST" && c.Path == "/v3/conversations"
            && c.Body?["activity"]?["attachments"]?[0]?["content"]?.ToJsonString().Contains(escalation.Id, StringComparison.Ordinal) == true);

    /// <summary>A buyer clicks an action on the escalation's card; returns the invoke response body.</summary>
    public async Task<JsonNode> ClickAsync(
        TeamsUser who, TeamsChannel channel, Escalation escalation, string verb, int? revision = null, string? note = null, string? activityId = null)
    {
        var data = new JsonObject { ["escalationId"] = escalation.Id, ["revision"] = (revision ?? escalation.Revision).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (note is not null)
        {
            data["note"] = note;
        }

        var card = escalation.Card!;
        var response = await SendAsync(TeamsActivities.CardAction(who, channel, Connector.ServiceUrl, card.ConversationId, card.ActivityId, verb, data, activityId));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }
}
