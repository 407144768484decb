namespace ProcurementBot.Tests.Admin;

/// <summary>GET /api/admin/question-sets/schema: the published format accepts every real set and refuses broken ones.</summary>
public sealed class QuestionSetSchemaTests(QuestionSetBotApp app) : IClassFixture<QuestionSetBotApp>
{
    private const string Sets = "/api/admin/question-sets";

    private static readonly string[] Broken =
    [
        """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"stars","text":"A?"}]}""",
        """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"rating","text":"A?","shownIf":{"question":"a","atMost":2}}]}""",
        """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"choice","text":"A?","choices":[]}]}""",
        """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"rating","text":"A?"}],"escalationRules":[{"id":"r","when":{"question":"a","atMost":2,"atLeast":1}}]}""",
        """{"id":"x","name":"X","isDefault":true,"questions":[]}""",
        """{"id":"x y","name":"X","isDefault":true,"questions":[{"id":"a","type":"rating","text":"A?"}]}""",
        """{"id":"x","name":"X","categories":[],"questions":[{"id":"a","type":"rating","text":"A?"}]}""",
        """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"rating","text":"A?"}],"escalationRules":[{"id":"r","when":{"question":"a","atMost":2},"severity":"urgent"}]}""",
        Timed("""{"workingHours":{"start":"9am","end":"17:00"}}"""),
        Timed("""{"workingHours":{"start":"09:00","end":"24:00"}}"""),
        Timed("""{"workingHours":{"start":"09:00"}}"""),
        Timed("""{"workingHours":{"start":"09:00","end":"17:00","days":["funday"]}}"""),
        Timed("""{"workingHours":{"start":"09:00","end":"17:00","days":[]}}"""),
        Timed("""{"workingHours":{"start":"09:00","end":"17:00","days":["monday","monday"]}}"""),
        Timed("""{"reminderAfterHours":0}"""),
        Timed("""{"reminderAfterHours":721}"""),
        Timed("""{"maxReminders":11}"""),
        Timed("""{"maxReminders":1.5}"""),
        Timed("""{"expireAfterHours":2161}"""),
        Timed("""{"remindAfterHours":24}"""),
    ];

    /// <summary>Valid sets the seeds do not show: timing at its limits.</summary>
    private static readonly string[] Timings =
    [
        Timed("""{"workingHours":{"start":"08:30","end":"16:00","days":["monday","wednesday","friday"]},"reminderAfterHours":24,"maxReminders":2,"expireAfterHours":72}"""),
        Timed("""{"workingHours":{"start":"00:00","end":"23:59"},"reminderAfterHours":720,"maxReminders":0,"expireAfterHours":2160}"""),
        Timed("""{"reminderAfterHours":0.5,"maxReminders":10}"""),
        Timed("""{}"""),
    ];

    [Fact]
    public async Task The_schema_is_draft_2020_12_json_schema()
    {
        var response = await app.AdminAsync(HttpMethod.Get, $"{Sets}/schema");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        var schema = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        await (await app.AdminAsync(HttpMethod.Get, $"{Sets}/schema", key: null)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Every_seeded_set_and_every_set_the_api_returns_matches_the_schema_and_broken_sets_do_not()
    {
        var schema = JsonNode.Parse(await (await app.AdminAsync(HttpMethod.Get, $"{Sets}/schema")).Content.ReadAsStringAsync())!;
        var seeded = Directory.EnumerateFiles(Path.Combine(NodeTools.RepoRoot, "bot", "QuestionSets", "Seeded"), "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(seeded);
        var served = new List<JsonNode>();
        foreach (var summary in (await app.AdminJsonAsync(HttpMethod.Get, Sets)).AsArray())
        {
            served.Add(await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}/{summary!["id"]!.GetValue<string>()}"));
        }

        var good = await ValidateAsync(schema, [.. seeded.Select(f => JsonNode.Parse(File.ReadAllText(f))!), .. served, .. Timings.Select(t => JsonNode.Parse(t)!)]);
        var bad = await ValidateAsync(schema, [.. Broken.Select(b => JsonNode.Parse(b)!)]);

        Assert.All(good, r => Assert.True(r.Valid, string.Join("; ", r.Errors)));
        Assert.All(bad.Zip(Broken), r => Assert.False(r.First.Valid, $"The schema accepts {r.Second}"));
    }

    private static string Timed(string timing) =>
        $$"""{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"rating","text":"A?"}],"timing":{{timing}}}""";

    private static async Task<List<(bool Valid, string[] Errors)>> ValidateAsync(JsonNode schema, IEnumerable<JsonNode> documents)
    {
        var input = new JsonObject { ["schema"] = schema.DeepClone(), ["documents"] = new JsonArray([.. documents.Select(d => d.DeepClone())]) };
        var result = await NodeTools.RunScriptAsync("validate-json-schema.mjs", input.ToJsonString());
        Assert.True(result.ExitCode is 0 or 1, $"validate-json-schema.mjs failed ({result.ExitCode}): {result.Stderr}");
        return
        [
            .. JsonNode.Parse(result.Stdout)!["results"]!.AsArray()
                .Select(r => (r!["valid"]!.GetValue<bool>(), r["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToArray())),
        ];
    }
}
