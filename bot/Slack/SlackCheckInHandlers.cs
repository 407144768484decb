using System.Text.Json.Nodes;
using ProcurementBot.Admin;
using ProcurementBot.CheckIns;
using ProcurementBot.People;

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

/// <summary>
/// Clicks on check-in messages (<c>block_actions</c> with action ids <c>checkin.…</c>): each answers one question. The
/// core stores it and replies with the same card showing what is left, or with the read-only summary once done; both
/// replace the clicked message in place.
/// </summary>
public sealed class SlackCheckInActions(SlackPeople people, CheckInConversation conversation, SlackReplies replies, ILogger<SlackCheckInActions> logger)
    : ISlackInteractionHandler
{
    public string Prefix => SlackCheckInBlocks.ActionPrefix;

    public async Task HandleActionAsync(JsonObject payload, JsonObject action, CancellationToken cancellationToken)
    {
        var userId = SlackDirectMessages.Str(payload["user"], "id");
        var channel = SlackDirectMessages.Str(payload["container"], "channel_id") ?? SlackDirectMessages.Str(payload["channel"], "id");
        var messageTs = SlackDirectMessages.Str(payload["container"], "message_ts") ?? SlackDirectMessages.Str(payload["message"], "ts");
        if (userId is null || channel is null || !SlackCheckInBlocks.TryReadBlockId(SlackDirectMessages.Str(action, "block_id"), out var checkInId, out var questionId))
        {
            logger.LogWarning("A check-in click without user, channel or a check-in block: {ActionId}", SlackDirectMessages.Str(action, "action_id"));
            return;
        }

        var actionId = SlackDirectMessages.Str(action, "action_id") ?? "";
        var value = actionId.StartsWith(SlackCheckInBlocks.SkipAction, StringComparison.Ordinal)
            ? ""
            : SlackDirectMessages.Str(action, "value") ?? SlackDirectMessages.Str(action["selected_option"], "value") ?? "";
        var teamId = SlackDirectMessages.Str(payload["user"], "team_id") ?? SlackDirectMessages.Str(payload["team"], "id");
        var person = await people.RecognizeAsync(teamId, userId, channel, cancellationToken);
        var submission = new CardSubmission(CardSubmission.AnswerAction, checkInId, new Dictionary<string, string> { [questionId] = value }, Partial: true);
        var key = $"slack|{channel}|{messageTs}|{SlackDirectMessages.Str(action, "action_ts")}";
        var turn = new Turn(person, key, null, submission, messageTs);
        await SlackTurns.RunAsync(replies, channel, person, logger, () => conversation.HandleAsync(turn, cancellationToken), cancellationToken);
    }

    /// <summary>Check-ins use no modals.</summary>
    public Task<JsonObject?> HandleViewSubmissionAsync(JsonObject payload, CancellationToken cancellationToken) => Task.FromResult<JsonObject?>(null);
}

/// <summary>The turn-error policy for Slack, as for Teams: log with context, tell the person briefly, never leave them hanging.</summary>
internal static class SlackTurns
{
    public static async Task RunAsync(
        SlackReplies replies, string channel, Person person, ILogger logger, Func<Task<IReadOnlyList<Reply>>> turn, CancellationToken cancellationToken)
    {
        IReadOnlyList<Reply> said;
        try
        {
            said = await turn();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Slack turn failed for {PersonId}", person.Id);
            said = [new TextReply(BotText.TurnError)];
        }

        await replies.SendAsync(channel, said, cancellationToken);
    }
}
