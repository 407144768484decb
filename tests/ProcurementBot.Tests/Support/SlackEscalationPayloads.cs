using System.Globalization;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// Events API and interactivity payloads shaped as Slack documents them (app_mention in an event_callback envelope,
/// block_actions, view_submission), for the escalation side of the bot.
/// </summary>
public static class SlackEscalationPayloads
{
    public const string AppId = "A0PROCBOT1";
    public const string BotId = "B0PROCBOT1";
    public const string TeamDomain = "contoso-procurement";

    private static long _sequence = 1_764_100_000_000_000;

    /// <summary>A message timestamp, unique in the run: seconds, a dot, six digits.</summary>
    public static string NewTs()
    {
        var micros = Interlocked.Increment(ref _sequence);
        return string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:000000}");
    }

    /// <summary>A public channel id (C + 10 characters).</summary>
    public static string NewChannelId() => "C" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    /// <summary>A workspace member with a Slack-shaped user id.</summary>
    public static SlackMember NewMember(string name) =>
        new("U" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(), $"{name.Split(' ')[0].ToLowerInvariant()}.{Guid.NewGuid():N}@contoso.com", name);

    /// <summary>
    /// "@ProcurementBot {text}" said in a channel: the <c>event_callback</c> envelope with its <c>authorizations</c>, the
    /// <c>app_mention</c> event with the mention written as <c>&lt;@U0PROCBOT&gt;</c> in its text and blocks.
    /// </summary>
    public static JsonObject AppMention(string userId, string channel, string text, string? threadTs = null)
    {
        var ts = NewTs();
        var slackEvent = new JsonObject
        {
            ["user"] = userId,
            ["type"] = "app_mention",
            ["ts"] = ts,
            ["client_msg_id"] = Guid.NewGuid().ToString(),
            ["text"] = $"<@{SlackApiStandIn.BotUserId}> {text}",
            ["team"] = SlackApiStandIn.TeamId,
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["type"] = "rich_text",
                ["block_id"] = "Zx1Q",
                ["elements"] = new JsonArray(new JsonObject
                {
                    ["type"] = "rich_text_section",
                    ["elements"] = new JsonArray(
                        new JsonObject { ["type"] = "user", ["user_id"] = SlackApiStandIn.BotUserId },
                        new JsonObject { ["type"] = "text", ["text"] = " " + text }),
                }),
            }),
            ["channel"] = channel,
            ["event_ts"] = ts,
        };
        if (threadTs is not null)
        {
            slackEvent["thread_ts"] = threadTs;
        }

        return new JsonObject
        {
            ["token"] = "XXYYZZ",
            ["team_id"] = SlackApiStandIn.TeamId,
            ["context_team_id"] = SlackApiStandIn.TeamId,
            ["api_app_id"] = AppId,
            ["event"] = slackEvent,
            ["type"] = "event_callback",
            ["event_id"] = "Ev" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
            ["event_time"] = long.Parse(ts.Split('.')[0], CultureInfo.InvariantCulture),
            ["authorizations"] = new JsonArray(new JsonObject
            {
                ["enterprise_id"] = null,
                ["team_id"] = SlackApiStandIn.TeamId,
                ["user_id"] = SlackApiStandIn.BotUserId,
                ["is_bot"] = true,
                ["is_enterprise_install"] = false,
            }),
            ["is_ext_shared_channel"] = false,
            ["event_context"] = "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
        };
    }

    /// <summary>
    /// A click on <paramref name="button"/> (an element of the message's actions block) of the bot's message
    /// <paramref name="messageTs"/> in <paramref name="channel"/>: a <c>block_actions</c> payload with the message, its
    /// container, a trigger_id and a response_url.
    /// </summary>
    public static JsonObject BlockAction(SlackMember user, string channel, string messageTs, JsonArray blocks, JsonObject button, string responseUrl, string? actionTs = null)
    {
        var action = new JsonObject
        {
            ["action_id"] = button["action_id"]!.GetValue<string>(),
            ["block_id"] = "escalation-actions",
            ["text"] = button["text"]!.DeepClone(),
            ["value"] = button["value"]!.GetValue<string>(),
            ["type"] = "button",
            ["action_ts"] = actionTs ?? NewTs(),
        };
        if (button["style"] is { } style)
        {
            action["style"] = style.DeepClone();
        }

        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = User(user),
            ["api_app_id"] = AppId,
            ["token"] = "XXYYZZ",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel, ["is_ephemeral"] = false },
            ["trigger_id"] = $"{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}.{SlackApiStandIn.TeamId}.{Guid.NewGuid():N}",
            ["team"] = new JsonObject { ["id"] = SlackApiStandIn.TeamId, ["domain"] = TeamDomain },
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = "procurement" },
            ["message"] = new JsonObject
            {
                ["bot_id"] = BotId,
                ["type"] = "message",
                ["text"] = "Escalation",
                ["user"] = SlackApiStandIn.BotUserId,
                ["ts"] = messageTs,
                ["app_id"] = AppId,
                ["blocks"] = blocks.DeepClone(),
                ["team"] = SlackApiStandIn.TeamId,
            },
            ["state"] = new JsonObject { ["values"] = new JsonObject() },
            ["response_url"] = responseUrl,
            ["actions"] = new JsonArray(action),
        };
    }

    /// <summary>
    /// The modal the bot opened (<c>views.open</c>'s <c>view</c>), submitted by <paramref name="user"/> with
    /// <paramref name="note"/> typed into its input: a <c>view_submission</c> payload with the view as Slack echoes it
    /// (id, hash, state.values by block and action id).
    /// </summary>
    public static JsonObject ViewSubmission(SlackMember user, JsonObject opened, string inputBlockId, string inputActionId, string? note)
    {
        var view = opened.DeepClone().AsObject();
        var id = "V" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        view["id"] = id;
        view["team_id"] = SlackApiStandIn.TeamId;
        view["state"] = new JsonObject
        {
            ["values"] = new JsonObject
            {
                [inputBlockId] = new JsonObject { [inputActionId] = new JsonObject { ["type"] = "plain_text_input", ["value"] = note } },
            },
        };
        view["hash"] = $"{NewTs()}.{Guid.NewGuid().ToString("N")[..8]}";
        view["previous_view_id"] = null;
        view["root_view_id"] = id;
        view["app_id"] = AppId;
        view["external_id"] = "";
        view["app_installed_team_id"] = SlackApiStandIn.TeamId;
        view["bot_id"] = BotId;
        view["clear_on_close"] = false;
        view["notify_on_close"] = false;
        return new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = SlackApiStandIn.TeamId, ["domain"] = TeamDomain },
            ["user"] = User(user),
            ["api_app_id"] = AppId,
            ["token"] = "XXYYZZ",
            ["trigger_id"] = $"{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}.{SlackApiStandIn.TeamId}.{Guid.NewGuid():N}",
            ["view"] = view,
            ["response_urls"] = new JsonArray(),
            ["is_enterprise_install"] = false,
            ["enterprise"] = null,
        };
    }

    /// <summary>The button with this action id in a message's blocks, or null.</summary>
    public static JsonObject? Button(JsonArray blocks, string actionId) =>
        blocks.OfType<JsonObject>().Where(b => b["type"]?.GetValue<string>() == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>())
            .FirstOrDefault(e => e["action_id"]?.GetValue<string>() == actionId);

    public static List<string> ActionIds(JsonArray blocks) =>
        [.. blocks.OfType<JsonObject>().Where(b => b["type"]?.GetValue<string>() == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>()).Select(e => e["action_id"]!.GetValue<string>())];

    private static JsonObject User(SlackMember user) => new()
    {
        ["id"] = user.Id,
        ["username"] = user.Email.Split('@')[0],
        ["name"] = user.Email.Split('@')[0],
        ["team_id"] = SlackApiStandIn.TeamId,
    };
}
