namespace ProcurementBot.Tests.Fuzzing;

/// <summary>
/// Malformed bodies for /api/messages (local mode) and /api/purchases (JSON object, array, CSV): never a 5xx, never a
/// hang, nothing stored for a refused request.
/// </summary>
public sealed class EndpointFuzzTests(BotApp app) : IClassFixture<BotApp>
{
    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal) { "serviceUrl" };

    [Fact]
    public async Task Malformed_activities_to_api_messages_are_never_a_server_error_and_refused_ones_change_nothing()
    {
        var user = new TeamsUser("Fuzz Person", $"fuzz.{Guid.NewGuid():N}@contoso.com");
        app.Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);
        var serviceUrl = app.Connector.ServiceUrl;
        JsonObject[] examples =
        [
            TeamsActivities.InZone(TeamsActivities.Message(user, serviceUrl, "help"), "Europe/Berlin"),
            TeamsActivities.Submit(user, serviceUrl, "1:card", TeamsActivities.Answers("PO-FUZZ-1", ("overall", "5"), ("onTime", "yes"))),
            TeamsActivities.Installed(user, serviceUrl),
            TeamsActivities.InstallationAdd(user, serviceUrl),
        ];

        await FuzzRun.AssertNeverFailsAsync("/api/messages", FuzzSeed.Cases(300),
            (inputs, i) => inputs.Json(inputs.Pick(examples), "application/json", 1024 * 1024, Kept),
            (fuzz, ct) => app.CreateClient().SendAsync(Post("/api/messages", fuzz), ct),
            StoreSnapshot.Of(app));
    }

    [Fact]
    public async Task Malformed_purchases_as_json_or_csv_are_never_a_server_error_and_refused_ones_change_nothing()
    {
        var purchase = (JsonObject)JsonNode.Parse(JsonSerializerDefaults(BotApp.Purchase("fuzz.buyer@contoso.com", "PO-FUZZ-JSON")))!;
        var header = string.Join(',', purchase.Select(p => p.Key));
        var row = string.Join(',', purchase.Select(p => p.Value!.ToString()));

        await FuzzRun.AssertNeverFailsAsync("/api/purchases", FuzzSeed.Cases(300),
            (inputs, i) => (i % 3) switch
            {
                0 => inputs.Json(purchase, "application/json", 10 * 1024 * 1024),
                1 => inputs.Json(new JsonArray(purchase.DeepClone(), purchase.DeepClone()), "application/json", 10 * 1024 * 1024),
                _ => Csv(inputs, header, row),
            },
            (fuzz, ct) =>
            {
                var request = Post("/api/purchases", fuzz);
                request.Headers.Add("X-Api-Key", BotApp.IntakeKey);
                return app.CreateClient().SendAsync(request, ct);
            },
            StoreSnapshot.Of(app));
    }

    [Fact]
    public async Task A_purchase_with_a_lone_surrogate_escape_is_400_naming_the_field_and_stores_nothing()
    {
        var json = JsonSerializerDefaults(BotApp.Purchase("surrogate.buyer@contoso.com", "PO-SURROGATE-1")).Replace("Latitude", "\\ud800Latitude", StringComparison.Ordinal);

        var response = await PostRawAsync("/api/purchases", json, "application/json", BotApp.IntakeKey);

        var problem = await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.Contains("$.description", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await app.Store.GetCheckInAsync("PO-SURROGATE-1", default));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    public async Task A_purchase_delivered_at_the_calendars_edge_is_400_naming_deliveredAt(string deliveredAt)
    {
        var purchase = (JsonObject)JsonNode.Parse(JsonSerializerDefaults(BotApp.Purchase("edge.buyer@contoso.com", "PO-EDGE-1")))!;
        purchase["deliveredAt"] = deliveredAt;
        purchase.Remove("checkInAt");

        var response = await app.PostPurchasesAsync(purchase);

        var problem = await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.Contains("deliveredAt must be from 1900-01-01", problem["errors"]!["purchase.deliveredAt"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await app.Store.GetCheckInAsync("PO-EDGE-1", default));
    }

    [Fact]
    public async Task A_csv_whose_header_names_a_field_twice_is_400()
    {
        var response = await PostRawAsync("/api/purchases", "purchaseId,supplier,supplier\nPO-CSV-TWICE,Dell,HP\n", "text/csv", BotApp.IntakeKey);

        var problem = await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.Contains("'supplier' twice", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localTimezone", "\"\\ud800\"")]
    [InlineData("text", "\"help\\udfff\"")]
    public async Task An_activity_with_a_lone_surrogate_escape_is_400_not_a_failed_turn(string field, string rawValue)
    {
        var user = new TeamsUser("Sur Rogate", $"surrogate.{Guid.NewGuid():N}@contoso.com");
        var activity = TeamsActivities.Message(user, app.Connector.ServiceUrl, "help");
        activity[field] = "__value__";

        var response = await PostRawAsync("/api/messages", activity.ToJsonString().Replace("\"__value__\"", rawValue, StringComparison.Ordinal), "application/json");

        var problem = await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.Contains($"$.{field}", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(app.CallsTo(user));
    }

    [Fact]
    public async Task An_activity_with_duplicate_keys_is_400()
    {
        var user = new TeamsUser("Dup Licate", $"duplicate.{Guid.NewGuid():N}@contoso.com");
        var json = TeamsActivities.Message(user, app.Connector.ServiceUrl, "help").ToJsonString();

        var response = await PostRawAsync("/api/messages", json.Replace("\"text\":", "\"text\":\"opt out\",\"text\":", StringComparison.Ordinal), "application/json");

        await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.Empty(app.CallsTo(user));
    }

    [Fact]
    public async Task Entities_of_the_wrong_shape_are_ignored_not_a_failed_turn()
    {
        var user = await app.InstallAsync("Shape Shifter");
        var activity = TeamsActivities.Message(user, app.Connector.ServiceUrl, "help");
        activity["entities"] = new JsonArray
        {
            new JsonObject { ["type"] = 1, ["timezone"] = "Europe/Berlin" },
            new JsonObject { ["type"] = new JsonArray(), ["mentioned"] = new JsonObject { ["id"] = 5 }, ["text"] = 7 },
            new JsonObject { ["type"] = "mention", ["mentioned"] = new JsonObject { ["id"] = 5 }, ["text"] = 7 },
        };

        var response = await app.SendAsync(activity);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostRawAsync(string path, string body, string mediaType, string? key = null)
    {
        using var request = Post(path, new FuzzCase("", Encoding.UTF8.GetBytes(body), mediaType));
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await app.CreateClient().SendAsync(request);
    }

    private static FuzzCase Csv(MalformedInputs inputs, string header, string row)
    {
        var cells = row.Split(',');
        var names = header.Split(',');
        switch (inputs.Next(5))
        {
            case 0:
                var at = inputs.Next(cells.Length);
                cells[at] = inputs.Text(cells[at]);
                return new FuzzCase($"CSV cell {names[at]} malformed", Encoding.UTF8.GetBytes($"{header}\n{string.Join(',', cells)}\n"), "text/csv");
            case 1:
                var twice = inputs.Pick(names);
                return new FuzzCase($"CSV header names {twice} twice", Encoding.UTF8.GetBytes($"{header},{twice}\n{row},x\n"), "text/csv");
            case 2:
                return new FuzzCase("CSV with an open quote", Encoding.UTF8.GetBytes($"{header}\n\"{row}\n"), "text/csv");
            case 3:
                return new FuzzCase("junk as CSV", inputs.Junk(300), "text/csv");
            default:
                var text = $"{header}\n{row}\n";
                return new FuzzCase("CSV truncated", Encoding.UTF8.GetBytes(text[..inputs.Next(text.Length)]), inputs.Pick(["text/csv", "application/csv", "text/csv; charset=latin1"]));
        }
    }

    private static string JsonSerializerDefaults(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    internal static HttpRequestMessage Post(string path, FuzzCase fuzz)
    {
        var content = new ByteArrayContent(fuzz.Body);
        if (fuzz.ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
        }

        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }
}
