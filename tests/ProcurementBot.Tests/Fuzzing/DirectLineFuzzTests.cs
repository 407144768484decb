using System.Net.Http.Headers;

namespace ProcurementBot.Tests.Fuzzing;

/// <summary>
/// The try-it page's Direct Line endpoints on real Kestrel: malformed activities, tokens, conversation ids and
/// watermarks. Never a 5xx, never a hang, nothing stored for a refused request.
/// </summary>
public sealed class DirectLineFuzzTests(TryItApp app) : IClassFixture<TryItApp>
{
    [Fact]
    public async Task A_direct_line_activity_with_a_lone_surrogate_or_a_duplicate_key_is_400()
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = FuzzRun.RequestTimeout };
        var (token, conversationId) = await StartAsync(client);
        foreach (var body in new[]
        {
            "{\"type\":\"message\",\"text\":\"help\",\"localTimezone\":\"\\ud800\"}",
            "{\"type\":\"message\",\"text\":\"help\",\"value\":{\"action\":\"a\",\"action\":\"b\"}}",
        })
        {
            using var request = EndpointFuzzTests.Post($"/v3/directline/conversations/{conversationId}/activities", new FuzzCase("", Encoding.UTF8.GetBytes(body), "application/json"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var response = await client.SendAsync(request);

            await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        }
    }

    private static async Task<(string Token, string ConversationId)> StartAsync(HttpClient client)
    {
        var session = await client.PostAsync("/try-it/session", new StringContent("{}", Encoding.UTF8, "application/json"));
        session.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await session.Content.ReadAsStringAsync())!["employee"]!["token"]!.GetValue<string>();
        using var start = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = await client.SendAsync(start);
        started.EnsureSuccessStatusCode();
        return (token, JsonNode.Parse(await started.Content.ReadAsStringAsync())!["conversationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_direct_line_requests_are_never_a_server_error_and_refused_ones_change_nothing()
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = FuzzRun.RequestTimeout };
        var (token, conversationId) = await StartAsync(client);
        JsonObject[] examples =
        [
            new() { ["type"] = "message", ["text"] = "help", ["locale"] = "en-US", ["localTimezone"] = "Europe/Berlin", ["from"] = new JsonObject { ["id"] = "x" }, ["channelData"] = new JsonObject { ["clientActivityID"] = "1" } },
            new() { ["type"] = "message", ["value"] = new JsonObject { ["action"] = "checkin.answer", ["checkInId"] = "PO-FUZZ", ["q_overall"] = "5" } },
            new() { ["type"] = "event", ["name"] = "webchat/join", ["value"] = new JsonObject { ["language"] = "en-US" } },
        ];
        var store = new StoreSnapshot(app.Services.GetRequiredService<IConfiguration>()["Storage:Sqlite:ConnectionString"]!, new HashSet<string> { "instances" });

        await FuzzRun.AssertNeverFailsAsync("/v3/directline", FuzzSeed.Cases(250),
            (inputs, i) => (i % 5) switch
            {
                0 => new FuzzCase($"GET /v3/directline/conversations/{Uri.EscapeDataString(inputs.Text(conversationId))}/activities?watermark={Uri.EscapeDataString(inputs.Text("3"))}", [], null),
                1 => new FuzzCase("POST /v3/directline/tokens/refresh " + AuthorizationFuzz.Header(inputs, token), [], null),
                _ => inputs.Json(inputs.Pick(examples), "application/json", 256 * 1024) is var fuzz ? fuzz with { What = $"POST activity {fuzz.What}" } : null!,
            },
            (fuzz, ct) =>
            {
                HttpRequestMessage request;
                if (fuzz.What.StartsWith("GET ", StringComparison.Ordinal))
                {
                    request = new HttpRequestMessage(HttpMethod.Get, fuzz.What[4..]);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }
                else if (fuzz.What.StartsWith("POST /v3/directline/tokens/refresh ", StringComparison.Ordinal))
                {
                    request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/refresh");
                    request.Headers.TryAddWithoutValidation("Authorization", fuzz.What["POST /v3/directline/tokens/refresh ".Length..]);
                }
                else
                {
                    request = EndpointFuzzTests.Post($"/v3/directline/conversations/{conversationId}/activities", fuzz);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                return client.SendAsync(request, ct);
            },
            store);
    }
}
