using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Manifests;

/// <summary>manifests/slack/manifest.json: Slack's app manifest format, the scopes every Web API call and event of the bot needs, and its request URLs.</summary>
public sealed class SlackManifestTests
{
    // The bot token scope each Web API method the bot calls needs (from each method's page in Slack's reference).
    private static readonly Dictionary<string, string[]> ScopesByMethod = new(StringComparer.Ordinal)
    {
        ["users.lookupByEmail"] = ["users:read.email"],
        ["users.info"] = ["users:read"],
        ["conversations.open"] = ["im:write"],
        ["conversations.members"] = ["channels:read", "groups:read"],
        ["chat.postMessage"] = ["chat:write"],
        ["chat.update"] = ["chat:write"],
        ["chat.postEphemeral"] = ["chat:write"],
        ["views.open"] = [],
        ["views.update"] = [],
    };

    // The events the bot subscribes to and the scope each needs.
    private static readonly Dictionary<string, string> ScopesByEvent = new(StringComparer.Ordinal)
    {
        ["message.im"] = "im:history",
        ["app_mention"] = "app_mentions:read",
    };

    private static JsonObject Manifest() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(NodeTools.RepoRoot, "manifests", "slack", "manifest.json")))!.AsObject();

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    [Fact]
    public void It_is_a_version_1_manifest_with_a_bot_user_reachable_in_its_messages_tab()
    {
        var manifest = Manifest();

        Assert.Equal(1, manifest["_metadata"]!["major_version"]!.GetValue<int>());
        Assert.InRange(manifest["display_information"]!["name"]!.GetValue<string>().Length, 1, 35);
        Assert.InRange(manifest["display_information"]!["description"]!.GetValue<string>().Length, 1, 140);
        Assert.InRange(manifest["features"]!["bot_user"]!["display_name"]!.GetValue<string>().Length, 1, 80);
        Assert.True(manifest["features"]!["app_home"]!["messages_tab_enabled"]!.GetValue<bool>());
        Assert.False(manifest["features"]!["app_home"]!["messages_tab_read_only_enabled"]!.GetValue<bool>());
        Assert.False(manifest["settings"]!["socket_mode_enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Every_method_the_client_paces_and_every_event_has_its_scope_and_nothing_more()
    {
        var scopes = Strings(Manifest()["oauth_config"]!["scopes"]!["bot"]);
        var events = Strings(Manifest()["settings"]!["event_subscriptions"]!["bot_events"]);

        Assert.All(SlackRateLimits.Methods.Keys, method => Assert.True(ScopesByMethod.ContainsKey(method), $"Which scope does {method} need? Add it here."));
        var needed = ScopesByMethod.Values.SelectMany(s => s).Concat(events.Select(e => ScopesByEvent[e])).ToHashSet();
        Assert.Equal(needed.Order(StringComparer.Ordinal), scopes.Order(StringComparer.Ordinal));
        Assert.Equal(["app_mention", "message.im"], events.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Events_and_interactions_go_to_the_bots_endpoints_over_https()
    {
        var settings = Manifest()["settings"]!;

        var events = new Uri(settings["event_subscriptions"]!["request_url"]!.GetValue<string>());
        var interactions = new Uri(settings["interactivity"]!["request_url"]!.GetValue<string>());

        Assert.Equal(("https", "/api/slack/events"), (events.Scheme, events.AbsolutePath));
        Assert.Equal(("https", "/api/slack/interactions"), (interactions.Scheme, interactions.AbsolutePath));
        Assert.Equal("YOUR-HOST", events.Host, ignoreCase: true);
        Assert.True(settings["interactivity"]!["is_enabled"]!.GetValue<bool>());
    }
}
