using System.Text.Json.Nodes;

namespace ProcurementBot.Slack;

/// <summary>
/// Handles one kind of Events API event (<c>message</c> in a DM, <c>app_mention</c>...). Called off the request,
/// after the event was stored and Slack answered: once per <c>event_id</c>, or again after a crash or a failure
/// (<see cref="SlackInbox"/>), so handling must be idempotent on the event id.
/// </summary>
public interface ISlackEventHandler
{
    /// <summary>Whether this handler takes the event (the <c>event</c> object of an <c>event_callback</c>).</summary>
    bool Handles(JsonObject slackEvent);

    /// <param name="envelope">The whole <c>event_callback</c> (team_id, event_id, authorizations...).</param>
    Task HandleAsync(JsonObject envelope, JsonObject slackEvent, CancellationToken cancellationToken);
}

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

/// <summary>Which handler takes what Slack sent: asked on the request (is there anything to store?) and again when the stored item is worked.</summary>
public sealed class SlackRouter(IEnumerable<ISlackEventHandler> events, IEnumerable<ISlackInteractionHandler> interactions)
{
    private readonly ISlackEventHandler[] _events = [.. events];
    private readonly ISlackInteractionHandler[] _interactions = [.. interactions];

    public bool HandlesEvent(JsonObject slackEvent) => _events.Any(h => h.Handles(slackEvent));

    /// <summary>The interaction handler for an <c>action_id</c> or view <c>callback_id</c>, by its prefix.</summary>
    public ISlackInteractionHandler? HandlerFor(string? id) =>
        id is null ? null : _interactions.FirstOrDefault(h => id.StartsWith(h.Prefix, StringComparison.Ordinal));

    /// <summary>Handles a stored item as it would have been handled on the request: every event handler that takes it, or the click's handler.</summary>
    public async Task HandleAsync(SlackItem item, CancellationToken cancellationToken)
    {
        var payload = JsonNode.Parse(item.Payload) as JsonObject ?? throw new InvalidDataException("A stored Slack item is not a JSON object.");
        switch (item.Kind)
        {
            case SlackItemKind.Event when payload["event"] is JsonObject slackEvent:
                foreach (var handler in _events.Where(h => h.Handles(slackEvent)))
                {
                    await handler.HandleAsync(payload, slackEvent, cancellationToken);
                }

                break;
            case SlackItemKind.Action when payload["actions"] is JsonArray { Count: > 0 } actions && actions[0] is JsonObject action:
                if (HandlerFor(SlackDirectMessages.Str(action, "action_id")) is { } clicked)
                {
                    await clicked.HandleActionAsync(payload, action, cancellationToken);
                }

                break;
            default:
                throw new InvalidDataException($"A stored Slack {item.Kind} has no event or action.");
        }
    }
}
