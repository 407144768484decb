using System.Text.Json.Nodes;
using ProcurementBot.CheckIns;

namespace ProcurementBot.Slack;

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
