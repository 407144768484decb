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

    /// <summary>Handles an event this handler took.</summary>
    /// <param name="envelope">The whole <c>event_callback</c> (team_id, event_id, authorizations...).</param>
    /// <param name="slackEvent">Its <c>event</c> object.</param>
    /// <param name="cancellationToken">Stops the handling.</param>
    Task HandleAsync(JsonObject envelope, JsonObject slackEvent, CancellationToken cancellationToken);
}
