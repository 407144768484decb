using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.CheckIns;

/// <summary>A typed answer the channel retries after it finished one check-in is not taken as an answer to the next.</summary>
public sealed class RetriedTypedAnswerTests(BotApp app) : IClassFixture<BotApp>
{
    [Fact]
    public async Task A_retried_last_typed_answer_of_one_check_in_is_not_stored_on_the_next_open_one()
    {
        var user = await app.InstallAsync();
        var first = $"PO-RETRY-A-{Guid.NewGuid():N}"[..20];
        var second = $"PO-RETRY-B-{Guid.NewGuid():N}"[..20];
        (await app.PostPurchasesAsync(BotApp.Purchase(user.Email, first, category: "services"))).EnsureSuccessStatusCode();
        await app.DispatchAsync();
        (await app.PostPurchasesAsync(BotApp.Purchase(user.Email, second, category: "services"))).EnsureSuccessStatusCode();
        await app.DispatchAsync();

        (await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, "4"))).EnsureSuccessStatusCode();
        (await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, "yes"))).EnsureSuccessStatusCode();
        var last = TeamsActivities.Message(user, app.Connector.ServiceUrl, "4", id: $"last-{first}");
        (await app.SendAsync(last)).EnsureSuccessStatusCode();
        var a = (await app.Store.GetCheckInAsync(first, default))!;
        var b = (await app.Store.GetCheckInAsync(second, default))!;
        Assert.Equal(CheckInStatus.Completed, a.Status);
        Assert.Equal(CheckInStatus.InProgress, b.Status);

        // The channel retries the last answer (its 200 was lost): the same activity, which the first check-in holds.
        (await app.SendAsync(last)).EnsureSuccessStatusCode();

        Assert.Empty((await app.Store.GetCheckInAsync(second, default))!.Answers);
    }
}
