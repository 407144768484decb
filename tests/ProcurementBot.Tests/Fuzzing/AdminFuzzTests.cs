using ProcurementBot.Tests.Admin;

namespace ProcurementBot.Tests.Fuzzing;

/// <summary>
/// Malformed query parameters and question-set bodies for /api/admin, and malformed bearer tokens for it: never a
/// 5xx, never a hang, nothing stored (or audited) for a refused request.
/// </summary>
public sealed class AdminFuzzTests(AdminBotApp app) : IClassFixture<AdminBotApp>
{
    private static readonly (string Path, string[] Parameters, string Example)[] Queries =
    [
        ("/api/admin/audit", ["from", "to", "max"], "2026-03-01T00:00:00Z"),
        ("/api/admin/responses", ["from", "to", "pageSize", "continuation", "supplier", "category", "purchaseId"], "2026-03-01"),
        ("/api/admin/responses.csv", ["from", "to", "supplier"], "2026-03-01T00:00:00+01:00"),
        ("/api/admin/summary", ["from", "to"], "2026-03"),
        ("/api/admin/check-ins/failed", ["max"], "10"),
        ("/api/admin/question-sets", ["includeArchived"], "true"),
        ("/api/admin/question-sets/it-hardware", ["version"], "1"),
        ("/api/admin/question-sets/it-hardware/preview", ["version"], "1"),
    ];

    [Fact]
    public async Task Malformed_admin_query_parameters_are_never_a_server_error_and_change_nothing()
    {
        await FuzzRun.AssertNeverFailsAsync("/api/admin query", FuzzSeed.Cases(300),
            (inputs, i) =>
            {
                var (path, parameters, example) = inputs.Pick(Queries);
                var query = string.Join('&', Enumerable.Range(0, 1 + inputs.Next(2))
                    .Select(_ => $"{inputs.Pick(parameters)}={Uri.EscapeDataString(inputs.Text(example))}"));
                return new FuzzCase($"GET {path}?{query}", [], null);
            },
            (fuzz, ct) => app.CreateClient().SendAsync(Get(fuzz.What[4..], AdminBotApp.AdminKey), ct),
            StoreSnapshot.Of(app, "instances"));
    }

    [Fact]
    public async Task Malformed_question_sets_are_never_a_server_error_and_refused_ones_change_nothing()
    {
        var listed = await app.AdminAsync(HttpMethod.Get, "/api/admin/question-sets/it-hardware");
        listed.EnsureSuccessStatusCode();
        var set = JsonNode.Parse(await listed.Content.ReadAsStringAsync())!.AsObject();
        set["id"] = "fuzz-set";
        set.Remove("version");
        (HttpMethod Method, string Path)[] targets =
        [
            (HttpMethod.Post, "/api/admin/question-sets"), (HttpMethod.Put, "/api/admin/question-sets/fuzz-set"),
            (HttpMethod.Post, "/api/admin/question-sets/validate"), (HttpMethod.Post, "/api/admin/question-sets/preview"),
        ];

        await FuzzRun.AssertNeverFailsAsync("/api/admin/question-sets body", FuzzSeed.Cases(300),
            (inputs, i) =>
            {
                var (method, path) = inputs.Pick(targets);
                var fuzz = inputs.Json(set, "application/json", 256 * 1024);
                return fuzz with { What = $"{method} {path} {fuzz.What}" };
            },
            (fuzz, ct) =>
            {
                var parts = fuzz.What.Split(' ', 3);
                var request = EndpointFuzzTests.Post(parts[1], fuzz);
                request.Method = new HttpMethod(parts[0]);
                request.Headers.Add("X-Api-Key", AdminBotApp.AdminKey);
                return app.CreateClient().SendAsync(request, ct);
            },
            StoreSnapshot.Of(app, "instances"));
    }

    [Fact]
    public async Task Malformed_admin_bearer_tokens_are_401_never_a_server_error()
    {
        await FuzzRun.AssertNeverFailsAsync("/api/admin Authorization", FuzzSeed.Cases(200),
            (inputs, i) => new FuzzCase(AuthorizationFuzz.Header(inputs, app.Identity.CreateAdminToken()), [], null),
            async (fuzz, ct) =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/audit");
                request.Headers.TryAddWithoutValidation("Authorization", fuzz.What);
                var response = await app.CreateClient().SendAsync(request, ct);
                AuthorizationFuzz.AssertRefused(response, fuzz);
                return response;
            },
            StoreSnapshot.Of(app, "instances"));
    }

    [Theory]
    [InlineData("/api/admin/responses?to=0001-01-01", "to")]
    [InlineData("/api/admin/responses.csv?to=0001-01-01T00:00:00Z", "to")]
    [InlineData("/api/admin/audit?to=0001-01-01", "to")]
    [InlineData("/api/admin/responses?from=9999-12-31T23:59:59Z&to=9999-12-31T23:59:59.9999999Z", "from")]
    [InlineData("/api/admin/summary?from=9999-12&to=9999-12", "from")]
    [InlineData("/api/admin/summary?from=0001-01&to=0001-01", "from")]
    public async Task Admin_dates_at_the_calendars_edges_are_400_naming_the_parameter(string pathAndQuery, string parameter)
    {
        var response = await app.AdminAsync(HttpMethod.Get, pathAndQuery);

        var problem = await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.Contains("1900-01-01", problem["errors"]![parameter]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_set_with_a_lone_surrogate_escape_is_400_and_stores_nothing()
    {
        var body = new StringContent("{\"id\":\"surrogate-set\",\"name\":\"\\ud800\",\"questions\":[]}", System.Text.Encoding.UTF8, "application/json");

        var response = await app.AdminAsync(HttpMethod.Post, "/api/admin/question-sets", body: body);

        await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await app.AdminAsync(HttpMethod.Get, "/api/admin/question-sets/surrogate-set")).StatusCode);
    }

    private static HttpRequestMessage Get(string pathAndQuery, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Add("X-Api-Key", key);
        return request;
    }
}
