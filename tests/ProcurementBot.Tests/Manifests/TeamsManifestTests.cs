namespace ProcurementBot.Tests.Manifests;

/// <summary>manifests/teams, checked with the official Teams schema shipped by @microsoft/app-manifest.</summary>
public sealed class TeamsManifestTests
{
    private const string PlaceholderId = "00000000-0000-0000-0000-000000000000";

    private static string TeamsFolder => Path.Combine(NodeTools.RepoRoot, "manifests", "teams");

    private static JsonObject Manifest() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TeamsFolder, "manifest.json")))!.AsObject();

    private static async Task<(int ExitCode, JsonObject Report)> ValidateAsync(JsonObject? manifest = null)
    {
        var result = manifest is null
            ? await NodeTools.RunScriptAsync("validate-manifest.mjs", null, Path.Combine(TeamsFolder, "manifest.json"))
            : await NodeTools.RunScriptAsync("validate-manifest.mjs", manifest.ToJsonString(), "-", "--base", TeamsFolder);
        var report = JsonNode.Parse(result.Stdout)?.AsObject()
            ?? throw new InvalidOperationException($"validate-manifest.mjs printed nothing: {result.Stderr}");
        return (result.ExitCode, report);
    }

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    [Fact]
    public async Task The_manifest_validates_against_the_official_schema_it_names()
    {
        var (exitCode, report) = await ValidateAsync();

        Assert.True(exitCode == 0, string.Join("\n", Strings(report["errors"])));
        Assert.True(report["valid"]!.GetValue<bool>());
        Assert.Equal("teams/v1.22", report["schema"]!.GetValue<string>());
        Assert.Equal("https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json", Manifest()["$schema"]!.GetValue<string>());
    }

    [Fact]
    public void The_bot_is_installable_for_people_and_teams()
    {
        var bot = Assert.Single(Manifest()["bots"]!.AsArray())!;

        var scopes = Strings(bot["scopes"]);
        Assert.Contains("personal", scopes);
        Assert.Contains("team", scopes);
        Assert.False(bot["isNotificationOnly"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public void The_command_lists_offer_the_chat_commands()
    {
        var lists = Manifest()["bots"]![0]!["commandLists"]!.AsArray();
        List<string> CommandsFor(string scope) =>
            [.. lists.Where(l => Strings(l!["scopes"]).Contains(scope)).SelectMany(l => l!["commands"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()))];

        Assert.Equal(["help", "status", "skip", "stop", "opt out", "opt in", "questions", "preview"], CommandsFor("personal"));
        Assert.Equal(["help", "escalate here", "questions", "preview"], CommandsFor("team"));
    }

    [Fact]
    public async Task The_icons_have_the_sizes_Teams_asks_for_and_the_outline_is_white_on_transparent()
    {
        var (_, report) = await ValidateAsync();
        var icons = report["icons"]!;

        Assert.Equal(192, icons["color"]!["width"]!.GetValue<int>());
        Assert.Equal(192, icons["color"]!["height"]!.GetValue<int>());
        Assert.Equal(32, icons["outline"]!["width"]!.GetValue<int>());
        Assert.Equal(32, icons["outline"]!["height"]!.GetValue<int>());
        Assert.True(icons["outline"]!["transparentPixels"]!.GetValue<int>() > 0);
        Assert.True(icons["outline"]!["whitePixels"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task An_outline_icon_with_a_coloured_background_is_refused()
    {
        var manifest = Manifest();
        manifest["icons"]!["outline"] = "color.png";

        var (exitCode, report) = await ValidateAsync(manifest);

        Assert.Equal(1, exitCode);
        var errors = Strings(report["errors"]);
        Assert.Contains("icons.outline must be 32x32 pixels, not 192x192", errors);
        Assert.Contains(errors, e => e.Contains("not white", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bot_id_is_a_schema_valid_placeholder_that_is_flagged_until_replaced()
    {
        Assert.Equal(PlaceholderId, Manifest()["bots"]![0]!["botId"]!.GetValue<string>());
        var (_, committed) = await ValidateAsync();
        Assert.Equal(["bots[0].botId"], Strings(committed["placeholders"]));

        // What manifests/teams/README.md tells people to do before zipping.
        var replaced = JsonNode.Parse(Manifest().ToJsonString().Replace(PlaceholderId, "3f2504e0-4f89-41d3-9a0c-0305e82c3301", StringComparison.Ordinal))!.AsObject();
        var (exitCode, report) = await ValidateAsync(replaced);
        Assert.Equal(0, exitCode);
        Assert.Empty(report["placeholders"]!.AsArray());
        Assert.Empty(report["warnings"]!.AsArray());
    }

    [Fact]
    public async Task A_template_token_for_the_bot_id_would_not_pass_the_schema()
    {
        var manifest = Manifest();
        manifest["bots"]![0]!["botId"] = "{{MICROSOFT_APP_ID}}";

        var (exitCode, report) = await ValidateAsync(manifest);

        Assert.Equal(1, exitCode);
        Assert.Contains(Strings(report["errors"]), e => e.StartsWith("schema: /bots/0/botId must match pattern", StringComparison.Ordinal));
    }
}
