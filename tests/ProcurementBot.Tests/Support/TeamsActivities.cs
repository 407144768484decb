using System.Text.Json.Nodes;

namespace ProcurementBot.Tests.Support;

/// <summary>A Teams user in a test: ids shaped like the real ones (29:..., a:..., AAD object ids).</summary>
public sealed record TeamsUser(string Name, string Email)
{
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string BotId = "28:3f7a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

    private readonly string _key = Guid.NewGuid().ToString("N");

    public string UserId => $"29:1{_key}XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85g";
    public string AadObjectId => new Guid(_key).ToString();
    public string ConversationId => $"a:1{_key}7I0kl9EkpE1O9PH5TWrzrLqwnGpBYgoF";
}

/// <summary>
/// Activities as Teams sends them to a bot, after the shapes in the Teams and Bot Framework docs:
/// personal conversations with tenant ids, clientInfo entities, channelData.tenant.
/// </summary>
public static class TeamsActivities
{
    private static long _sequence = 1_700_000_000_000;

    public static JsonObject Message(TeamsUser user, string serviceUrl, string text, string? id = null) =>
        Personal(user, serviceUrl, "message", id, new JsonObject { ["text"] = text, ["textFormat"] = "plain" });

    /// <summary>An Action.Submit click: empty text, value = the action data merged with the inputs.</summary>
    public static JsonObject Submit(TeamsUser user, string serviceUrl, string replyToId, JsonObject value, string? id = null) =>
        Personal(user, serviceUrl, "message", id, new JsonObject { ["replyToId"] = replyToId, ["value"] = value });

    public static JsonObject Installed(TeamsUser user, string serviceUrl) =>
        Personal(user, serviceUrl, "conversationUpdate", null, new JsonObject
        {
            ["membersAdded"] = new JsonArray(new JsonObject { ["id"] = TeamsUser.BotId }),
        });

    public static JsonObject InstallationAdd(TeamsUser user, string serviceUrl) =>
        Personal(user, serviceUrl, "installationUpdate", null, new JsonObject { ["action"] = "add" });

    private static JsonObject Personal(TeamsUser user, string serviceUrl, string type, string? id, JsonObject extra)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = id ?? Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["localTimestamp"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-8)).ToString("O"),
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = user.UserId, ["name"] = user.Name, ["aadObjectId"] = user.AadObjectId },
            ["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = TeamsUser.TenantId, ["id"] = user.ConversationId },
            ["recipient"] = new JsonObject { ["id"] = TeamsUser.BotId, ["name"] = "ProcurementBot" },
            ["entities"] = new JsonArray(new JsonObject
            {
                ["locale"] = "en-US", ["country"] = "US", ["platform"] = "Web", ["timezone"] = "America/Los_Angeles", ["type"] = "clientInfo",
            }),
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TeamsUser.TenantId } },
            ["locale"] = "en-US",
            ["localTimezone"] = "America/Los_Angeles",
        };
        foreach (var (key, value) in extra.ToList())
        {
            extra.Remove(key);
            activity[key] = value;
        }

        return activity;
    }
}
