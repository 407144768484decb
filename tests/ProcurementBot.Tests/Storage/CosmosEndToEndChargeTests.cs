using System.Globalization;
using ProcurementBot.BotFramework.Cards;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.Storage.Cosmos;
using Xunit.Abstractions;

namespace ProcurementBot.Tests.Storage;

/// <summary>
/// What the whole bot asks of Cosmos DB for one answered check-in and for one escalation from raise to
/// resolve, read from the response headers' request charges. On the local server a request costs a flat
/// 1 RU, so the figures are round trips; with a real account (see <see cref="CosmosEmulator"/>) they are RU.
/// The budgets fail the test when a change adds round trips to these paths.
/// </summary>
public sealed class CosmosEndToEndChargeTests(CosmosEscalationBotApp app, ITestOutputHelper output) : IClassFixture<CosmosEscalationBotApp>
{
    [Fact]
    public async Task An_answered_check_in_and_an_escalation_lifecycle_stay_within_their_request_budgets()
    {
        var store = (CosmosStore)app.Store;
        var team = TeamsChannel.New();
        const string category = "cosmos-e2e";
        await app.SayInChannelAsync(app.Admin, team, $"escalate here for {category}");
        var buyer = await app.BuyerAsync(team, "Diego Siciliani");
        var requester = await app.InstallAsync("Megan Bowen");

        var answered = await MeasureAsync(store, "answered check-in (intake, send, card answer)", async () =>
        {
            var purchaseId = $"PO-{Guid.NewGuid():N}"[..16];
            (await app.PostPurchasesAsync(BotApp.Purchase(requester.Email, purchaseId, category))).EnsureSuccessStatusCode();
            await app.DispatchAsync();
            var card = (await app.Store.GetCheckInAsync(purchaseId, default))!.CardMessageId!;
            (await app.SendAsync(TeamsActivities.Submit(requester, app.Connector.ServiceUrl, card, TeamsActivities.Answers(purchaseId, ("overall", "4"), ("onTime", "yes"))))).EnsureSuccessStatusCode();
            Assert.Equal(CheckInStatus.Completed, (await app.Store.GetCheckInAsync(purchaseId, default))!.Status);
        });

        string checkInId = "";
        var raised = await MeasureAsync(store, "escalation raised (bad answers on the card)", async () => checkInId = await app.AnswerBadlyAsync(requester, category, buyer.Email));
        var posted = await MeasureAsync(store, "escalation posted to the channel", async () => Assert.True(await app.ProcessEscalationsAsync() >= 1));
        var escalation = await app.EscalationAsync(checkInId);
        var acknowledged = await MeasureAsync(store, "acknowledged", () => app.ClickAsync(buyer, team, escalation, EscalationCards.AcknowledgeVerb));
        escalation = await app.EscalationAsync(checkInId);
        var resolved = await MeasureAsync(store, "resolved", () => app.ClickAsync(buyer, team, escalation, EscalationCards.ResolveVerb, note: "Replacement sent."));
        Assert.Equal(EscalationStatus.Resolved, (await app.EscalationAsync(checkInId)).Status);

        var lifecycle = posted + acknowledged + resolved;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"escalation after it was raised (post, acknowledge, resolve): {lifecycle:F1} RU"));
        Assert.InRange(answered, 1, 50);
        Assert.InRange(raised, 1, 70);
        Assert.InRange(lifecycle, 1, 60);
    }

    private async Task<double> MeasureAsync(CosmosStore store, string what, Func<Task> step)
    {
        var (charge, count) = (store.RequestCharge, store.RequestCount);
        await step();
        var spent = store.RequestCharge - charge;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {spent:F1} RU in {store.RequestCount - count} requests"));
        return spent;
    }
}
