using System.Text.Json.Nodes;

namespace ProcurementBot.Slack;

/// <summary>
/// Handles interactions (<c>block_actions</c>, <c>view_submission</c>) whose <c>action_id</c> or view
/// <c>callback_id</c> starts with <see cref="Prefix"/>, e.g. <c>checkin.</c> or <c>escalation.</c>.
/// </summary>
public interface ISlackInteractionHandler
{
    string Prefix { get; }

    /// <summary>
    /// A button or select in a message: called off the request after the click was stored and Slack answered, and
    /// again after a crash or a failure, so it must be idempotent on the click (its <c>action_ts</c>).
    /// <paramref name="action"/> is the one element of the payload's <c>actions</c>.
    /// </summary>
    Task HandleActionAsync(JsonObject payload, JsonObject action, CancellationToken cancellationToken);

    /// <summary>
    /// A modal submitted: called on the request (Slack waits up to 3 seconds), so the answer can show errors in the
    /// modal: return null to close it, or a <c>response_action</c> body such as <c>{"response_action":"errors","errors":{...}}</c>.
    /// </summary>
    Task<JsonObject?> HandleViewSubmissionAsync(JsonObject payload, CancellationToken cancellationToken);
}
