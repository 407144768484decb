using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ProcurementBot.Tests.Support;

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
