using System.Text.Json.Nodes;

namespace ProcurementBot.Slack;

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
