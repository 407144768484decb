namespace ProcurementBot.Tests.Admin;

/// <summary>Who may call /api/admin: an admin API key, or an Entra ID token with the admin role or group; nobody else.</summary>
public sealed class AdminAccessTests(AdminBotApp app) : IClassFixture<AdminBotApp>
{
    /// <summary>Every admin route, with a call that would change or reveal something if it were let through.</summary>
    private static readonly (string Method, string Path)[] AllRoutes =
    [
        ("GET", "/api/admin/audit"),
        ("DELETE", "/api/admin/people/refused.person@contoso.com"),
        ("GET", "/api/admin/question-sets"),
        ("GET", "/api/admin/question-sets/general-goods"),
        ("POST", "/api/admin/question-sets"),
        ("PUT", "/api/admin/question-sets/general-goods"),
        ("POST", "/api/admin/question-sets/validate"),
        ("POST", "/api/admin/question-sets/preview"),
        ("GET", "/api/admin/question-sets/general-goods/preview"),
        ("POST", "/api/admin/question-sets/services/archive"),
        ("GET", "/api/admin/question-sets/schema"),
        ("GET", "/api/admin/responses"),
        ("GET", "/api/admin/responses.csv"),
        ("GET", "/api/admin/summary"),
        ("GET", "/api/admin/check-ins/failed"),
        ("POST", "/api/admin/check-ins/PO-REFUSED/retry"),
    ];

    public static TheoryData<string, string> Routes() => Data(AllRoutes);

    /// <summary>The routes that succeed without a body, and change nothing another test relies on.</summary>
    public static TheoryData<string, string> RoutesThatSucceedWithoutABody() =>
        Data(AllRoutes.Where(r => r.Method is "GET" || r.Path.StartsWith("/api/admin/people/", StringComparison.Ordinal)));

    private static TheoryData<string, string> Data(IEnumerable<(string Method, string Path)> routes)
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in routes)
        {
            data.Add(method, path);
        }

        return data;
    }

    public static TheoryData<string, string, string?> RoutesAndRefusedKeys()
    {
        var data = new TheoryData<string, string, string?>();
        foreach (var key in new[] { null, "", "wrong-key", AdminBotApp.AdminKey + "x", AdminBotApp.AdminKey.ToUpperInvariant(), BotApp.IntakeKey })
        {
            foreach (var (method, path) in AllRoutes)
            {
                data.Add(method, path, key);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesAndRefusedKeys))]
    public async Task A_missing_or_wrong_key_gets_401_and_changes_nothing(string method, string path, string? key)
    {
        await SeedRefusedPersonAsync();
        var audited = (await app.AuditAsync()).Count;

        var response = await app.AdminAsync(new HttpMethod(method), path, key);

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(audited);
    }

    [Theory]
    [MemberData(nameof(RoutesThatSucceedWithoutABody))]
    public async Task The_admin_key_is_accepted(string method, string path)
    {
        var response = await app.AdminAsync(new HttpMethod(method), path.Replace("refused.person", "accepted.person", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(RoutesThatSucceedWithoutABody))]
    public async Task A_token_with_the_admin_role_or_group_is_accepted(string method, string path)
    {
        var byRole = app.Identity.CreateAdminToken();
        var byGroup = app.Identity.CreateAdminToken(roles: [], groups: ["00000000-0000-0000-0000-000000000001", LocalBotFrameworkIdentity.AdminGroup]);
        path = path.Replace("refused.person", "accepted.person", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(new HttpMethod(method), path, key: null, bearer: byRole)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(new HttpMethod(method), path, key: null, bearer: byGroup)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_valid_token_without_the_role_or_group_gets_403_and_changes_nothing(string method, string path)
    {
        await SeedRefusedPersonAsync();
        var audited = (await app.AuditAsync()).Count;
        var token = app.Identity.CreateAdminToken(roles: ["ProcurementBot.Reader"], groups: ["00000000-0000-0000-0000-000000000001"]);

        var response = await app.AdminAsync(new HttpMethod(method), path, key: null, bearer: token);

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains(LocalBotFrameworkIdentity.AdminRole, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(audited);
    }

    public static TheoryData<string> RefusedTokens => ["wrong audience", "wrong issuer", "expired", "forged", "not a token"];

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task An_invalid_token_gets_401_on_every_route_and_changes_nothing(string what)
    {
        await SeedRefusedPersonAsync();
        var audited = (await app.AuditAsync()).Count;
        var identity = app.Identity;
        var token = what switch
        {
            "wrong audience" => identity.CreateAdminToken(audience: "api://someone-else"),
            "wrong issuer" => identity.CreateAdminToken(issuer: $"https://login.microsoftonline.com/{Guid.NewGuid()}/v2.0"),
            "expired" => identity.CreateAdminToken(issuedAt: DateTimeOffset.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1)),
            "forged" => identity.CreateAdminToken(key: LocalBotFrameworkIdentity.UnpublishedKey()),
            _ => "not-a-jwt",
        };

        foreach (var (method, path) in AllRoutes)
        {
            var response = await app.AdminAsync(new HttpMethod(method), path, key: null, bearer: token);

            await response.ProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        await AssertNothingChangedAsync(audited);
    }

    [Fact]
    public async Task A_bearer_admin_is_recorded_by_object_id_and_name()
    {
        var objectId = Guid.NewGuid().ToString();
        var token = app.Identity.CreateAdminToken(objectId: objectId, name: "Grace Admin");

        var response = await app.AdminAsync(HttpMethod.Delete, "/api/admin/people/someone.else@contoso.com", key: null, bearer: token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = (await app.AuditAsync()).First(e => e!["actorId"]!.GetValue<string>() == $"entra:{objectId}")!;
        Assert.Equal("Grace Admin", entry["actorName"]!.GetValue<string>());
        Assert.Equal("erase", entry["action"]!.GetValue<string>());
    }

    private async Task SeedRefusedPersonAsync()
    {
        if (await app.Store.FindPersonByAddressAsync("refused.person@contoso.com", default) is null)
        {
            await app.InstallAsync("Refused Person", "refused.person@contoso.com");
        }
    }

    private async Task AssertNothingChangedAsync(int audited)
    {
        Assert.NotNull(await app.Store.FindPersonByAddressAsync("refused.person@contoso.com", default));
        Assert.Equal(audited, (await app.AuditAsync()).Count);
    }
}
