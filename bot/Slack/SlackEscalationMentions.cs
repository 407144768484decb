using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProcurementBot.Escalations;

namespace ProcurementBot.Slack;

/// <summary>
/// Every <c>app_mention</c>: "@ProcurementBot escalate here [for &lt;category&gt;]" said by an admin makes the channel the
/// destination of escalations; anything else gets a short help. Answers go in the mention's thread.
/// </summary>
internal sealed partial class SlackEscalationMentions(
    EscalationService escalations,
    SlackEscalationActors actors,
    SlackApiClient slack,
    TimeProvider clock,
    ILogger<SlackEscalationMentions> logger) : ISlackEventHandler
{
    public const string Help =
        "I post escalations from procurement check-ins in the channel an admin chose with `@ProcurementBot escalate here` " +
        "(or `escalate here for <category>` for one purchase category); buyers act on them with the buttons. " +
        "Check-ins themselves happen in a direct message with me.";

    [GeneratedRegex(@"^escalate\s+here(?:\s+for\s+(?<category>.+?))?[.!]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 100)]
    private static partial Regex EscalateHere();

    /// <summary>A user mention as Slack writes it: <c>&lt;@U123&gt;</c>, or <c>&lt;@U123|name&gt;</c> in older clients.</summary>
    [GeneratedRegex(@"<@(?<id>[A-Z0-9]+)(?:\|[^>]*)?>", RegexOptions.CultureInvariant, 100)]
    private static partial Regex UserMention();

    public bool Handles(JsonObject slackEvent) => Text(slackEvent, "type") == "app_mention";

    public async Task HandleAsync(JsonObject envelope, JsonObject slackEvent, CancellationToken cancellationToken)
    {
        // The bot's own messages (and other bots') are never commands.
        if (slackEvent["bot_id"] is not null || Text(slackEvent, "user") is not { Length: > 0 } userId
            || Text(slackEvent, "channel") is not { Length: > 0 } channel || Text(slackEvent, "ts") is not { Length: > 0 } ts)
        {
            return;
        }

        var said = Said(Text(slackEvent, "text") ?? "", BotUserId(envelope));
        var reply = EscalateHere().Match(said) is { Success: true } match
            ? await RegisterAsync(envelope, slackEvent, userId, channel, match.Groups["category"].Value.Trim(), cancellationToken)
            : Help;
        await slack.PostMessageAsync(new SlackPost(channel, reply, ThreadTs: Text(slackEvent, "thread_ts") ?? ts), cancellationToken);
    }

    /// <summary>The mention's words without the bot's own mention(s): <c>&lt;@U0BOT&gt; escalate here</c> → <c>escalate here</c>.</summary>
    public static string Said(string text, string? botUserId)
    {
        var first = true;
        var stripped = UserMention().Replace(text, m =>
        {
            // Without the bot's id (no authorizations in the envelope), the leading mention is taken to be the bot's.
            var isBot = botUserId is null ? first && m.Index == text.Length - text.TrimStart().Length : m.Groups["id"].Value == botUserId;
            first = false;
            return isBot ? " " : m.Value;
        });
        return string.Join(' ', stripped.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private async Task<string> RegisterAsync(JsonObject envelope, JsonObject slackEvent, string userId, string channel, string category, CancellationToken cancellationToken)
    {
        // D… is a direct message: escalations need a channel the procurement team shares.
        if (channel.StartsWith('D'))
        {
            return "Escalations go to a channel: say `@ProcurementBot escalate here` in the procurement channel that should receive them.";
        }

        var actor = await actors.ForAsync(userId, null, cancellationToken, Text(envelope, "team_id"));
        var registration = new EscalationDestination
        {
            Category = category,
            ChannelId = SlackEscalationAdapter.ChannelId,
            // Slack has one Web API, the configured one: nothing per channel to remember.
            ServiceUrl = "",
            ConversationId = channel,
            TeamId = Text(envelope, "team_id") ?? Text(slackEvent, "team"),
            TenantId = Text(envelope, "team_id") ?? Text(slackEvent, "team"),
            Name = await ChannelNameAsync(channel, cancellationToken),
            RegisteredBy = actor.Name,
            RegisteredAt = clock.GetUtcNow(),
        };
        var result = await escalations.RegisterChannelAsync(actor, registration, cancellationToken);
        if (!result.Registered)
        {
            return "Sorry, only procurement admins can choose where escalations go. Ask one of them to say `@ProcurementBot escalate here` in this channel.";
        }

        var which = category.Length == 0 ? "Escalations" : $"Escalations for *{SlackEscalationBlocks.Escape(category, 200)}*";
        var waiting = result.Released switch
        {
            0 => "None are waiting right now.",
            1 => "1 waiting escalation will be posted here now.",
            var n => $"{n} waiting escalations will be posted here now.",
        };
        return $"Done: {which} will be posted in this channel. {waiting}";
    }

    private async Task<string?> ChannelNameAsync(string channel, CancellationToken cancellationToken)
    {
        try
        {
            return await slack.GetChannelNameAsync(channel, cancellationToken);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            // The name is only for people reading the registration; the channel id is what counts.
            logger.LogWarning(ex, "Could not read the name of Slack channel {Channel}", channel);
            return null;
        }
    }

    /// <summary>The bot user the event was delivered to, from the envelope's <c>authorizations</c>.</summary>
    private static string? BotUserId(JsonObject envelope) =>
        envelope["authorizations"] is JsonArray authorizations
            ? authorizations.OfType<JsonObject>().FirstOrDefault(a => a["is_bot"] is JsonValue b && b.TryGetValue<bool>(out var isBot) && isBot) is { } bot
                ? Text(bot, "user_id")
                : null
            : null;

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
