namespace ProcurementBot.Tests.Admin;

/// <summary>The escalation fixture (requesters can answer badly) with an admin API key and Entra ID bearer tokens from the loopback identity stand-in.</summary>
public sealed class AdminBotApp : EscalationBotApp
{
    public const string AdminKey = "test-admin-key-9876543210";

    public LocalBotFrameworkIdentity Identity { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings, new("Admin:ApiKeys:0", AdminKey), .. Identity.AdminEntraConfiguration()];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Identity = await LocalBotFrameworkIdentity.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(Identity.TrustFromAdminBearer);
    }

    /// <summary>Calls an admin route with an API key (<paramref name="key"/>) or a bearer token, or neither.</summary>
    public Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? key = AdminKey, string? bearer = null, object? body = null) =>
        AdminRequests.SendAsync(CreateClient(), method, path, key, bearer, body);

    /// <summary>The audit log as the API lists it.</summary>
    public async Task<JsonArray> AuditAsync(string query = "")
    {
        var response = await AdminAsync(HttpMethod.Get, $"/api/admin/audit{query}");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["entries"]!.AsArray();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
