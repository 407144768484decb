using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.Admin;

/// <summary>/api/admin/check-ins: what the sender set aside is visible to admins with its last error, and can be sent again.</summary>
public sealed class FailedCheckInsApiTests(AdminBotApp app) : IClassFixture<AdminBotApp>
{
    [Fact]
    public async Task A_check_in_the_channel_refuses_is_listed_with_its_error_and_a_retry_sends_it_and_is_audited()
    {
        var user = await app.InstallAsync("Nestor Wilke");
        var purchaseId = $"PO-{Guid.NewGuid():N}"[..16];
        (await app.PostPurchasesAsync(BotApp.Purchase(user.Email, purchaseId))).EnsureSuccessStatusCode();
        app.Connector.FailNext("POST", 403, "ConversationBlockedByUser");
        await app.DispatchAsync();
        Assert.Equal(CheckInStatus.Failed, (await app.Store.GetCheckInAsync(purchaseId, default))!.Status);

        var listed = await FailedAsync();
        var item = Assert.Single(listed["items"]!.AsArray(), i => i!["purchaseId"]!.GetValue<string>() == purchaseId)!;
        Assert.Equal(1, item["sendAttempts"]!.GetValue<int>());
        Assert.Contains("ConversationBlockedByUser", item["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(user.Email, item["requesterEmail"]!.GetValue<string>());

        var retry = await app.AdminAsync(HttpMethod.Post, $"/api/admin/check-ins/{purchaseId}/retry");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await app.DispatchAsync();

        Assert.Equal(CheckInStatus.InProgress, (await app.Store.GetCheckInAsync(purchaseId, default))!.Status);
        Assert.DoesNotContain((await FailedAsync())["items"]!.AsArray(), i => i!["purchaseId"]!.GetValue<string>() == purchaseId);
        Assert.Contains(await app.AuditAsync(), e => e!["action"]!.GetValue<string>() == "check-in.retry" && e["target"]!.GetValue<string>() == purchaseId);

        // Only a failed check-in can be retried; an unknown one is 404.
        await (await app.AdminAsync(HttpMethod.Post, $"/api/admin/check-ins/{purchaseId}/retry")).ProblemAsync(HttpStatusCode.Conflict);
        await (await app.AdminAsync(HttpMethod.Post, "/api/admin/check-ins/PO-NOPE/retry")).ProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<JsonNode> FailedAsync()
    {
        var response = await app.AdminAsync(HttpMethod.Get, "/api/admin/check-ins/failed");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Theory]
    [InlineData("max=0")]
    [InlineData("max=1001")]
    [InlineData("max=many")]
    public async Task A_bad_max_gets_400(string query)
    {
        var response = await app.AdminAsync(HttpMethod.Get, $"/api/admin/check-ins/failed?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["max"]);
    }
}
