using System.Text.Json;
using ProcurementBot.CheckIns;
using ProcurementBot.Rollups;

namespace ProcurementBot.Tests.Rollups;

/// <summary>The whole bot: answering a check-in on its card counts it into the supplier's and category's month.</summary>
public sealed class RollupsThroughTheBotTests(BotApp app) : IClassFixture<BotApp>
{
    [Fact]
    public async Task Answering_a_check_in_on_the_card_updates_the_suppliers_rollup_once_even_when_the_answer_is_retried()
    {
        var supplier = $"Contoso Parts {Guid.NewGuid():N}";
        var user = await app.InstallAsync();
        (await app.PostPurchasesAsync(WithSupplier(BotApp.Purchase(user.Email, "PO-ROLLUP-1"), supplier))).EnsureSuccessStatusCode();
        await app.DispatchAsync();
        var cardId = (await app.Store.GetCheckInAsync("PO-ROLLUP-1", default))!.CardMessageId!;
        var submit = TeamsActivities.Submit(user, app.Connector.ServiceUrl, cardId, TeamsActivities.Answers("PO-ROLLUP-1", ("overall", "4"), ("onTime", "no")), id: "1700000000123");

        (await app.SendAsync(submit)).EnsureSuccessStatusCode();
        (await app.SendAsync(submit.DeepClone().AsObject())).EnsureSuccessStatusCode();

        var done = (await app.Store.GetCheckInAsync("PO-ROLLUP-1", default))!;
        Assert.Equal(CheckInStatus.Completed, done.Status);
        var month = Rollup.MonthOf(done.CompletedAt!.Value);
        var rollups = app.Services.GetRequiredService<ResultRollups>();
        var rollup = await rollups.GetSupplierAsync(supplier.ToUpperInvariant(), month, default);
        Assert.NotNull(rollup);
        Assert.Equal((supplier, 1, 1, 4, 1, 1.0, 0, 1), (rollup.Name, rollup.Responses, rollup.Ratings, rollup.RatingSum, rollup.Satisfied, rollup.Csat, rollup.OnTimeYes, rollup.OnTimeNo));
        Assert.Equal(["PO-ROLLUP-1"], rollup.CheckInIds);
        Assert.Contains("PO-ROLLUP-1", (await rollups.GetCategoryAsync("laptops", month, default))!.CheckInIds);
    }

    private static JsonObject WithSupplier(object purchase, string supplier)
    {
        var json = JsonSerializer.SerializeToNode(purchase)!.AsObject();
        json["supplier"] = supplier;
        return json;
    }
}
