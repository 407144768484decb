using System.Globalization;
using ProcurementBot.People;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// Requests shaped as Slack documents them (Events API envelopes, the message.im event, block_actions), for the
/// stand-in workspace's members.
/// </summary>
public static class SlackPayloads
{
    public const string AppId = "A0PROCBOT";
    private static long _sequence = 1_700_000_000;

    /// <summary>The bot's DM channel with a member, as the stand-in's conversations.open names it.</summary>
    public static string DirectMessageOf(SlackMember member) => "D" + member.Id.TrimStart('U', 'W');

    public static JsonObject UrlVerification(string challenge) => new()
    {
        ["token"] = "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        ["challenge"] = challenge,
        ["type"] = "url_verification",
    };

    /// <summary>The member as the bot stores a Slack person it has met (<paramref name="dm"/>: their DM with the bot, once known).</summary>
    public static Person PersonOf(SlackMember member, DateTimeOffset at, string? dm = null) => new()
    {
        Id = Person.MakeId("slack", member.Id),
        Channel = "slack",
        UserId = member.Id,
        Name = member.RealName,
        Email = member.Email,
        TenantId = member.TeamId,
        ConversationId = dm,
        TimeZone = member.TimeZone,
        FirstSeenAt = at,
        UpdatedAt = at,
    };

    public static string NewEventId() => $"Ev{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>An <c>event_callback</c> carrying a message the member typed in their DM with the bot (<c>message.im</c>).</summary>
    public static JsonObject DirectMessage(SlackMember member, string text, string? eventId = null)
    {
        var ts = NextTs();
        return Envelope(new JsonObject
        {
            ["type"] = "message",
            ["channel"] = DirectMessageOf(member),
            ["user"] = member.Id,
            ["text"] = text,
            ["ts"] = ts,
            ["event_ts"] = ts,
            ["channel_type"] = "im",
            ["client_msg_id"] = Guid.NewGuid().ToString(),
            ["team"] = SlackApiStandIn.TeamId,
        }, eventId);
    }

    /// <summary>The bot's own message in the DM, as Slack echoes it back to the app (<c>bot_id</c> set).</summary>
    public static JsonObject BotsOwnMessage(SlackMember member, string text)
    {
        var ts = NextTs();
        return Envelope(new JsonObject
        {
            ["type"] = "message",
            ["subtype"] = "bot_message",
            ["channel"] = DirectMessageOf(member),
            ["bot_id"] = "B0PROCBOT",
            ["user"] = SlackApiStandIn.BotUserId,
            ["text"] = text,
            ["ts"] = ts,
            ["event_ts"] = ts,
            ["channel_type"] = "im",
        }, null);
    }

    public static JsonObject Envelope(JsonObject slackEvent, string? eventId) => new()
    {
        ["token"] = "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        ["team_id"] = SlackApiStandIn.TeamId,
        ["api_app_id"] = AppId,
        ["event"] = slackEvent,
        ["type"] = "event_callback",
        ["event_id"] = eventId ?? NewEventId(),
        ["event_time"] = _sequence,
        ["authorizations"] = new JsonArray
        {
            new JsonObject
            {
                ["enterprise_id"] = null, ["team_id"] = SlackApiStandIn.TeamId, ["user_id"] = SlackApiStandIn.BotUserId,
                ["is_bot"] = true, ["is_enterprise_install"] = false,
            },
        },
        ["is_ext_shared_channel"] = false,
        ["event_context"] = "4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMFBST0NVUkUifQ",
    };

    /// <summary>
    /// A <c>block_actions</c> payload: the member clicked the button with <paramref name="value"/> (or chose that option of a
    /// select) in the block of question <paramref name="questionId"/> of <paramref name="message"/>.
    /// </summary>
    public static JsonObject Click(SlackMember member, SlackStoredMessage message, string questionId, string value)
    {
        var block = message.Blocks.OfType<JsonObject>().FirstOrDefault(b => b["type"]?.GetValue<string>() == "actions"
                && b["block_id"]?.GetValue<string>().EndsWith("|" + questionId, StringComparison.Ordinal) == true)
            ?? throw new InvalidOperationException($"The message has no actions block for question '{questionId}': {message.Blocks.ToJsonString()}");
        var blockId = block["block_id"]!.GetValue<string>();
        JsonObject action = null!;
        foreach (var element in block["elements"]!.AsArray().OfType<JsonObject>())
        {
            var type = element["type"]!.GetValue<string>();
            if (type == "button" && element["value"]?.GetValue<string>() == value)
            {
                action = new JsonObject
                {
                    ["action_id"] = element["action_id"]!.GetValue<string>(),
                    ["block_id"] = blockId,
                    ["text"] = element["text"]!.DeepClone(),
                    ["value"] = value,
                    ["type"] = "button",
                    ["action_ts"] = NextTs(),
                };
            }
            else if (type == "static_select" && element["options"]!.AsArray().FirstOrDefault(o => o!["value"]!.GetValue<string>() == value) is { } option)
            {
                action = new JsonObject
                {
                    ["type"] = "static_select",
                    ["action_id"] = element["action_id"]!.GetValue<string>(),
                    ["block_id"] = blockId,
                    ["selected_option"] = option.DeepClone(),
                    ["placeholder"] = element["placeholder"]?.DeepClone(),
                    ["action_ts"] = NextTs(),
                };
            }
        }

        if (action is null)
        {
            throw new InvalidOperationException($"No button or option with value '{value}' for question '{questionId}'.");
        }

        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = member.Id, ["username"] = member.Email.Split('@')[0], ["name"] = member.Email.Split('@')[0], ["team_id"] = SlackApiStandIn.TeamId },
            ["api_app_id"] = AppId,
            ["token"] = "Jhj5dZrVaK7ZwHHjRyZWjbDl",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = message.Ts, ["channel_id"] = message.Channel, ["is_ephemeral"] = false },
            ["trigger_id"] = $"{Interlocked.Increment(ref _sequence)}.47445629121.{Guid.NewGuid():N}",
            ["team"] = new JsonObject { ["id"] = SlackApiStandIn.TeamId, ["domain"] = "contoso" },
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
            ["channel"] = new JsonObject { ["id"] = message.Channel, ["name"] = "directmessage" },
            ["message"] = new JsonObject
            {
                ["type"] = "message",
                ["user"] = SlackApiStandIn.BotUserId,
                ["ts"] = message.Ts,
                ["bot_id"] = "B0PROCBOT",
                ["text"] = message.Text,
                ["blocks"] = message.Blocks.DeepClone(),
            },
            ["state"] = new JsonObject { ["values"] = new JsonObject() },
            ["response_url"] = $"https://hooks.slack.com/actions/{SlackApiStandIn.TeamId}/{_sequence}/96rGlfmibIGlgcZRskXaIFfN",
            ["actions"] = new JsonArray { action },
        };
    }

    private static string NextTs() =>
        string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Increment(ref _sequence)}.{Random.Shared.Next(0, 999_999):000000}");
}
