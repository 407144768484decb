namespace ProcurementBot.Tests.Support;

/// <summary>The whole bot with an admin API key and a chat admin configured.</summary>
public sealed class QuestionSetBotApp : BotApp
{
    public const string AdminKey = "test-admin-key-9876543210";

    /// <summary>A chat admin (Admin:Users) by email.</summary>
    public const string AdminEmail = "procurement.ops@contoso.com";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Admin:ApiKeys:0", AdminKey), new("Admin:Users:0", AdminEmail)];

    /// <summary>What the admin audit log holds, as (action, target, details), oldest first.</summary>
    public async Task<IReadOnlyList<(string Action, string Target, string? Details)>> AuditAsync() =>
        [.. (await Store.GetAuditEntriesAsync(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), 1000, default))
            .Reverse().Select(e => (e.Action, e.Target, e.Details))];

    public Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null, string? key = AdminKey) =>
        AdminRequests.SendAsync(CreateClient(), method, path, key, body: body);

    public async Task<JsonNode> AdminJsonAsync(HttpMethod method, string path, object? body = null)
    {
        var response = await AdminAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
