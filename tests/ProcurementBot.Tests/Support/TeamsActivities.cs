using ProcurementBot.CheckIns;

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

/// <summary>A channel of a team, with ids shaped like Teams' (19:…@thread.tacv2).</summary>
public sealed record TeamsChannel(string TeamId, string ChannelId)
{
    public static TeamsChannel New() =>
        new($"19:{Guid.NewGuid():N}@thread.tacv2", $"19:{Guid.NewGuid():N}@thread.tacv2");
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

    /// <summary>What a check-in card's Send answers button submits: its action and check-in id, and the inputs "q_{question}".</summary>
    public static JsonObject Answers(string checkInId, params (string Question, string Value)[] answers)
    {
        var value = new JsonObject { ["action"] = CardSubmission.AnswerAction, ["checkInId"] = checkInId };
        foreach (var (question, answer) in answers)
        {
            value["q_" + question] = answer;
        }

        return value;
    }

    public static JsonObject Installed(TeamsUser user, string serviceUrl) =>
        Personal(user, serviceUrl, "conversationUpdate", null, new JsonObject
        {
            ["membersAdded"] = new JsonArray(new JsonObject { ["id"] = TeamsUser.BotId }),
        });

    public static JsonObject InstallationAdd(TeamsUser user, string serviceUrl) =>
        Personal(user, serviceUrl, "installationUpdate", null, new JsonObject { ["action"] = "add" });

    /// <summary>
    /// A message in a team channel. The bot hears only @mentions there, so by default the text starts with
    /// its mention (an entity whose text appears in the message); without it, Teams' "reply without mention" shape.
    /// </summary>
    public static JsonObject ChannelMessage(TeamsUser user, TeamsChannel channel, string serviceUrl, string text, bool mentionBot = true, string? id = null)
    {
        id ??= NextId();
        var entities = new JsonArray(ClientInfo());
        if (mentionBot)
        {
            const string tag = "<at>ProcurementBot</at>";
            text = $"{tag} {text}";
            entities.Add(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = tag,
                ["mentioned"] = new JsonObject { ["id"] = TeamsUser.BotId, ["name"] = "ProcurementBot" },
            });
        }

        return InChannel(user, channel, serviceUrl, "message", id, $"{channel.ChannelId};messageid={id}", new JsonObject
        {
            ["text"] = text,
            ["textFormat"] = "plain",
            ["entities"] = entities,
        });
    }

    /// <summary>
    /// An Action.Execute click on a card in a channel thread, as Teams sends it: an <c>adaptiveCard/action</c>
    /// invoke whose value is <c>{action: {type, verb, data}, trigger}</c>, the card's inputs merged into data.
    /// </summary>
    public static JsonObject CardAction(
        TeamsUser user, TeamsChannel channel, string serviceUrl, string threadId, string cardActivityId, string verb, JsonObject data, string? id = null) =>
        InChannel(user, channel, serviceUrl, "invoke", id ?? NextId(), threadId, new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["replyToId"] = cardActivityId,
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
                ["trigger"] = "manual",
            },
        });

    /// <summary>
    /// The activity as a client in <paramref name="timezone"/> sends it: Teams reports the zone twice, as the activity's
    /// <c>localTimezone</c> and as the <c>timezone</c> of its <c>clientInfo</c> entity. Null: a client that reports none.
    /// </summary>
    public static JsonObject InZone(JsonObject activity, string? timezone, bool onActivity = true, bool inClientInfo = true)
    {
        activity.Remove("localTimezone");
        if (timezone is not null && onActivity)
        {
            activity["localTimezone"] = timezone;
        }

        foreach (var entity in activity["entities"]?.AsArray() ?? [])
        {
            if (entity?["type"]?.GetValue<string>() == "clientInfo")
            {
                entity.AsObject().Remove("timezone");
                if (timezone is not null && inClientInfo)
                {
                    entity["timezone"] = timezone;
                }
            }
        }

        return activity;
    }

    /// <summary>
    /// The activity as Teams sends it for a user of another Entra tenant: both places Teams names the tenant
    /// (<c>conversation.tenantId</c>, <c>channelData.tenant.id</c>) say <paramref name="tenantId"/>; null removes both.
    /// </summary>
    public static JsonObject FromTenant(JsonObject activity, string? tenantId, bool inConversation = true, bool inChannelData = true)
    {
        if (inConversation)
        {
            activity["conversation"]!.AsObject().Remove("tenantId");
            if (tenantId is not null)
            {
                activity["conversation"]!["tenantId"] = tenantId;
            }
        }

        if (inChannelData)
        {
            activity["channelData"]!.AsObject().Remove("tenant");
            if (tenantId is not null)
            {
                activity["channelData"]!["tenant"] = new JsonObject { ["id"] = tenantId };
            }
        }

        return activity;
    }

    private static JsonObject InChannel(TeamsUser user, TeamsChannel channel, string serviceUrl, string type, string id, string conversationId, JsonObject extra)
    {
        var activity = Build(user, serviceUrl, type, id, new JsonObject
        {
            ["isGroup"] = true,
            ["conversationType"] = "channel",
            ["tenantId"] = TeamsUser.TenantId,
            ["id"] = conversationId,
        }, extra);
        activity["channelData"] = new JsonObject
        {
            ["teamsChannelId"] = channel.ChannelId,
            ["teamsTeamId"] = channel.TeamId,
            ["channel"] = new JsonObject { ["id"] = channel.ChannelId },
            ["team"] = new JsonObject { ["id"] = channel.TeamId },
            ["tenant"] = new JsonObject { ["id"] = TeamsUser.TenantId },
        };
        return activity;
    }

    private static JsonObject Personal(TeamsUser user, string serviceUrl, string type, string? id, JsonObject extra) =>
        Build(user, serviceUrl, type, id ?? NextId(), new JsonObject
        {
            ["conversationType"] = "personal",
            ["tenantId"] = TeamsUser.TenantId,
            ["id"] = user.ConversationId,
        }, extra);

    private static string NextId() => Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject ClientInfo() => new()
    {
        ["locale"] = "en-US",
        ["country"] = "US",
        ["platform"] = "Web",
        ["timezone"] = "America/Los_Angeles",
        ["type"] = "clientInfo",
    };

    private static JsonObject Build(TeamsUser user, string serviceUrl, string type, string id, JsonObject conversation, JsonObject extra)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = id,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["localTimestamp"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-8)).ToString("O"),
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = user.UserId, ["name"] = user.Name, ["aadObjectId"] = user.AadObjectId },
            ["conversation"] = conversation,
            ["recipient"] = new JsonObject { ["id"] = TeamsUser.BotId, ["name"] = "ProcurementBot" },
            ["entities"] = new JsonArray(ClientInfo()),
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
