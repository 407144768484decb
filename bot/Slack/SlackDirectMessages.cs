using System.Text.Json.Nodes;
using ProcurementBot.Admin;
using ProcurementBot.CheckIns;

namespace ProcurementBot.Slack;

/// <summary>
/// Messages people type in their DM with the bot (<c>message</c> events with <c>channel_type: im</c>): answers,
/// commands and the admins' question-set commands, through the core exactly as typed Teams messages go.
/// </summary>
public sealed class SlackDirectMessages(
    SlackPeople people, CheckInConversation conversation, QuestionSetCommands questionSets, SlackReplies replies, ILogger<SlackDirectMessages> logger)
    : ISlackEventHandler
{
    public bool Handles(JsonObject slackEvent) =>
        Str(slackEvent, "type") == "message" && Str(slackEvent, "channel_type") == "im"
        && Str(slackEvent, "subtype") is null && Str(slackEvent, "user") is not null && Str(slackEvent, "channel") is not null;

    public async Task HandleAsync(JsonObject envelope, JsonObject slackEvent, CancellationToken cancellationToken)
    {
        var channel = Str(slackEvent, "channel")!;
        var teamId = Str(slackEvent, "team") ?? Str(envelope, "team_id");
        var person = await people.RecognizeAsync(teamId, Str(slackEvent, "user")!, channel, cancellationToken);
        var text = Unescape(Str(slackEvent, "text") ?? "");

        // The event id names the message across Slack's retries, so a retried answer is not stored twice.
        var turn = new Turn(person, $"slack|{Str(envelope, "event_id") ?? Str(slackEvent, "client_msg_id") ?? Str(slackEvent, "ts")}", text, null);
        await SlackTurns.RunAsync(replies, channel, person, logger, async () =>
            await questionSets.TryHandleAsync(person, text, cancellationToken) ?? await conversation.HandleAsync(turn, cancellationToken), cancellationToken);
    }

    /// <summary>Slack escapes &amp;, &lt; and &gt; in message text; the core reads what the person typed.</summary>
    private static string Unescape(string text) => text.Replace("&lt;", "<", StringComparison.Ordinal)
        .Replace("&gt;", ">", StringComparison.Ordinal)
        .Replace("&amp;", "&", StringComparison.Ordinal)
        .Trim();

    /// <summary>A string field of an object; null when the node is not an object (a signed payload may still have any shape).</summary>
    internal static string? Str(JsonNode? node, string name) => node is JsonObject json && json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
