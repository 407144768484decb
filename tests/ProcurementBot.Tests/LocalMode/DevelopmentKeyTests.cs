using System.Text.Json;

namespace ProcurementBot.Tests.LocalMode;

/// <summary>
/// The keys published in the repository's appsettings.Development.json open the bot only to this machine's direct
/// requests; keys of one's own (configuration, user secrets) work from anywhere.
/// </summary>
public sealed class DevelopmentKeyTests(LocalModeBotApp app) : IClassFixture<LocalModeBotApp>
{
    [Theory]
    [MemberData(nameof(Origins.NotDirectlyLocal), MemberType = typeof(Origins))]
    public async Task The_published_intake_key_is_refused_from_outside_and_nothing_is_stored(string origin, string? remote, string? host, string header)
    {
        var purchase = BotApp.Purchase($"megan.{Guid.NewGuid():N}@contoso.com");

        var response = await app.SendAsync(Intake(purchase, LocalModeBotApp.DevIntakeKey, remote, host, header));

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{origin}: {(int)response.StatusCode}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Intake:DevelopmentApiKeys", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await app.Store.GetCheckInAsync(PurchaseId(purchase), default));
    }

    [Theory]
    [MemberData(nameof(Origins.NotDirectlyLocal), MemberType = typeof(Origins))]
    public async Task The_published_admin_key_is_refused_from_outside(string origin, string? remote, string? host, string header)
    {
        var request = LocalModeBotApp.Request(HttpMethod.Get, "/api/admin/question-sets", remote: remote, host: host, headers: Origins.Headers(header));
        request.Headers.Add("X-Api-Key", LocalModeBotApp.DevAdminKey);

        var response = await app.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{origin}: {(int)response.StatusCode}");
    }

    [Theory]
    [MemberData(nameof(Origins.DirectlyLocal), MemberType = typeof(Origins))]
    public async Task The_published_keys_work_in_direct_requests_on_this_machine(string origin, string? remote, string? host)
    {
        var purchase = BotApp.Purchase($"megan.{Guid.NewGuid():N}@contoso.com");
        var admin = LocalModeBotApp.Request(HttpMethod.Get, "/api/admin/question-sets", remote: remote, host: host);
        admin.Headers.Add("X-Api-Key", LocalModeBotApp.DevAdminKey);

        var intake = await app.SendAsync(Intake(purchase, LocalModeBotApp.DevIntakeKey, remote, host, ""));
        var listed = await app.SendAsync(admin);

        Assert.True(intake.IsSuccessStatusCode, $"{origin}: intake {(int)intake.StatusCode}");
        Assert.True(listed.IsSuccessStatusCode, $"{origin}: admin {(int)listed.StatusCode}");
        Assert.NotNull(await app.Store.GetCheckInAsync(PurchaseId(purchase), default));
    }

    [Theory]
    [MemberData(nameof(Origins.NotDirectlyLocal), MemberType = typeof(Origins))]
    public async Task A_key_of_ones_own_works_from_anywhere(string origin, string? remote, string? host, string header)
    {
        var purchase = BotApp.Purchase($"megan.{Guid.NewGuid():N}@contoso.com");

        var response = await app.SendAsync(Intake(purchase, LocalModeBotApp.RealIntakeKey, remote, host, header));

        Assert.True(response.IsSuccessStatusCode, $"{origin}: {(int)response.StatusCode}");
        Assert.NotNull(await app.Store.GetCheckInAsync(PurchaseId(purchase), default));
    }

    [Fact]
    public void The_repository_publishes_its_keys_as_development_keys_only()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(NodeTools.RepoRoot, "bot", "appsettings.Development.json")))!;

        foreach (var section in new[] { "Intake", "Admin" })
        {
            Assert.Null(settings[section]?["ApiKeys"]);
            Assert.NotEmpty(settings[section]!["DevelopmentApiKeys"]!.AsArray());
        }
    }

    private static HttpRequestMessage Intake(object purchase, string key, string? remote, string? host, string header)
    {
        var request = LocalModeBotApp.Request(HttpMethod.Post, "/api/purchases", purchase, remote, host, Origins.Headers(header));
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    private static string PurchaseId(object purchase) => (string)purchase.GetType().GetProperty("purchaseId")!.GetValue(purchase)!;
}
