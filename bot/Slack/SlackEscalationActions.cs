using System.Text.Json.Nodes;
using ProcurementBot.Escalations;
using ProcurementBot.Storage;

namespace ProcurementBot.Slack;

/// <summary>
/// The buttons on an escalation message and its Resolve modal. Acknowledge, Assign to me and Reopen are applied at once;
/// Resolve opens a modal for the note, applied when it is submitted. A click on an out-of-date message redraws the message
/// for everyone and tells the clicker, through the response_url, what happened meanwhile.
/// </summary>
internal sealed class SlackEscalationActions(
    EscalationService escalations,
    SlackEscalationAdapter channel,
    SlackEscalationActors actors,
    SlackEscalationResponses responses,
    SlackApiClient slack,
    IProcurementStore store,
    ILogger<SlackEscalationActions> logger) : ISlackInteractionHandler
{
    public string Prefix => SlackEscalationBlocks.Prefix;

    public async Task HandleActionAsync(JsonObject payload, JsonObject action, CancellationToken cancellationToken)
    {
        var actionId = Text(action["action_id"]);
        var responseUrl = Text(payload["response_url"]);
        if (SlackEscalationBlocks.VerbOf(actionId) is not { } verb || SlackEscalationBlocks.ReadButton(Text(action["value"])) is not { } button
            || Text(At(payload, "user", "id")) is not { Length: > 0 } userId)
        {
            logger.LogWarning("Ignoring Slack action {ActionId}: not an escalation button this bot drew", actionId);
            return;
        }

        if (verb == EscalationVerb.Resolve)
        {
            await OpenResolveModalAsync(payload, button, responseUrl, cancellationToken);
            return;
        }

        // Slack sends one action_ts per click; a redelivered payload carries the same one.
        var clicked = Text(action["action_ts"]) ?? Text(payload["trigger_id"]) ?? Guid.NewGuid().ToString("N");
        var actor = await actors.ForAsync(userId, payload["user"], cancellationToken);
        var command = new EscalationCommand(button.EscalationId, verb, actor, $"slack|{userId}|{clicked}", button.Revision);
        if (await ActAsync(command, responseUrl, cancellationToken) is not { } result)
        {
            return;
        }

        switch (result)
        {
            case { Outcome: ActOutcome.Stale or ActOutcome.Invalid, Escalation: { } current }:
                // The message the clicker saw was out of date: everyone gets the current one, the clicker hears why.
                await RedrawAsync(current, cancellationToken);
                await responses.TellAsync(responseUrl, result.Message, cancellationToken);
                break;
            case { Outcome: ActOutcome.NotAllowed or ActOutcome.NotFound }:
                await responses.TellAsync(responseUrl, result.Message, cancellationToken);
                break;
        }
    }

    public async Task<JsonObject?> HandleViewSubmissionAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var view = payload["view"] as JsonObject;
        if (view is null || Text(view["callback_id"]) != SlackEscalationBlocks.ResolveView
            || SlackEscalationBlocks.ReadOrigin(Text(view["private_metadata"])) is not { } origin
            || Text(At(payload, "user", "id")) is not { Length: > 0 } userId)
        {
            logger.LogWarning("Ignoring a Slack view submission that is not this bot's Resolve modal");
            return null;
        }

        var note = Text(At(view, "state", "values", SlackEscalationBlocks.NoteBlock, SlackEscalationBlocks.NoteBlock, "value"))?.Trim();
        if (string.IsNullOrEmpty(note))
        {
            return Errors("Please say what was done before resolving.");
        }

        if (note.Length > EscalationService.MaxNoteLength)
        {
            return Errors($"Keep the note under {EscalationService.MaxNoteLength} characters.");
        }

        // One view is submitted once; should Slack deliver it twice, the note is applied once.
        var viewId = Text(view["id"]) ?? Guid.NewGuid().ToString("N");
        var actor = await actors.ForAsync(userId, payload["user"], cancellationToken);
        var command = new EscalationCommand(origin.EscalationId, EscalationVerb.Resolve, actor, $"slack|{userId}|view:{viewId}", origin.Revision, note);
        ActResult result;
        try
        {
            result = await escalations.ActAsync(command, cancellationToken);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            logger.LogWarning(ex, "Could not check who may resolve escalation {EscalationId}", origin.EscalationId);
            return Errors("I couldn't check your channel membership just now. Please try again in a moment.");
        }

        logger.LogInformation("Resolve on escalation {EscalationId} by {PersonId}: {Outcome}", origin.EscalationId, actor.PersonId, result.Outcome);
        switch (result)
        {
            case { Outcome: ActOutcome.Applied or ActOutcome.AlreadyApplied }:
                return null;
            case { Outcome: ActOutcome.Stale, Escalation: { Status: not EscalationStatus.Resolved } current }:
                // Someone acted while the note was written: show what changed and keep the note; submitting again resolves.
                await RedrawAsync(current, cancellationToken);
                var again = SlackEscalationBlocks.ResolveModal(current, origin with { Revision = current.Revision }, result.Message + " Submit again to resolve it.", note);
                return new JsonObject { ["response_action"] = "update", ["view"] = again };
            case { Escalation: { } current } when result.Outcome is ActOutcome.Stale or ActOutcome.Invalid:
                await RedrawAsync(current, cancellationToken);
                return Errors(current.Status == EscalationStatus.Resolved ? $"{current.ResolvedBy ?? "Someone"} already resolved it." : result.Message);
            default:
                return Errors(result.Message);
        }
    }

    private async Task OpenResolveModalAsync(JsonObject payload, ButtonValue button, string? responseUrl, CancellationToken cancellationToken)
    {
        var channelId = Text(At(payload, "container", "channel_id")) ?? Text(At(payload, "channel", "id"));
        var messageTs = Text(At(payload, "container", "message_ts")) ?? Text(At(payload, "message", "ts"));
        if (Text(payload["trigger_id"]) is not { Length: > 0 } trigger || channelId is null || messageTs is null)
        {
            logger.LogWarning("A Resolve click on escalation {EscalationId} came without a trigger_id or message", button.EscalationId);
            return;
        }

        var escalation = await store.GetEscalationAsync(button.EscalationId, cancellationToken);
        if (escalation is null)
        {
            await responses.TellAsync(responseUrl, "I can't find that escalation any more.", cancellationToken);
            return;
        }

        if (escalation.Status == EscalationStatus.Resolved)
        {
            await RedrawAsync(escalation, cancellationToken);
            await responses.TellAsync(responseUrl, $"{escalation.ResolvedBy ?? "Someone"} already resolved it.", cancellationToken);
            return;
        }

        // The modal names the revision that was clicked: if the message was out of date, submitting says so.
        var modal = SlackEscalationBlocks.ResolveModal(escalation, new ResolveOrigin(escalation.Id, button.Revision, channelId, messageTs));
        try
        {
            await slack.OpenViewAsync(trigger, modal, cancellationToken);
        }
        catch (SlackApiException ex) when (ex.Error is "expired_trigger_id" or "exchanged_trigger_id")
        {
            // A trigger lives three seconds: a click worked late (a backlog, or again after a restart) cannot open the
            // modal any more. Trying again would fail the same way; the buyer clicks again.
            logger.LogInformation("The Resolve click on escalation {EscalationId} came too late to open its modal ({Error})", button.EscalationId, ex.Error);
            await responses.TellAsync(responseUrl, "That took too long to open the Resolve form. Please click Resolve again.", cancellationToken);
        }
    }

    private async Task<ActResult?> ActAsync(EscalationCommand command, string? responseUrl, CancellationToken cancellationToken)
    {
        try
        {
            var result = await escalations.ActAsync(command, cancellationToken);
            logger.LogInformation("{Verb} on escalation {EscalationId} by {PersonId}: {Outcome}", command.Verb, command.EscalationId, command.Actor.PersonId, result.Outcome);
            return result;
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            // The membership check could not reach Slack; nothing changed, the buyer may click again.
            logger.LogWarning(ex, "Could not check who may act on escalation {EscalationId}", command.EscalationId);
            await responses.TellAsync(responseUrl, "I couldn't check your channel membership just now. Please try again in a moment.", cancellationToken);
            return null;
        }
    }

    /// <summary>Redraws the message for everyone; it may fail, the next change redraws it again.</summary>
    private async Task RedrawAsync(Escalation current, CancellationToken cancellationToken)
    {
        if (current.Card is not { Channel: SlackEscalationAdapter.ChannelId })
        {
            return;
        }

        try
        {
            await channel.UpdateAsync(current, cancellationToken);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            logger.LogWarning(ex, "Could not redraw the message of escalation {EscalationId}", current.Id);
        }
    }

    private static JsonObject Errors(string message) => new()
    {
        ["response_action"] = "errors",
        ["errors"] = new JsonObject { [SlackEscalationBlocks.NoteBlock] = message },
    };

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The node at a path of object fields; null where the payload has another shape (a string for an object).</summary>
    private static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = node is JsonObject json ? json[name] : null;
        }

        return node;
    }
}
