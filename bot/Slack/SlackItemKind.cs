namespace ProcurementBot.Slack;

/// <summary>What Slack sent that the bot acknowledged and works off the request.</summary>
public enum SlackItemKind
{
    /// <summary>An Events API <c>event_callback</c>; <see cref="SlackItem.Payload"/> is the whole envelope.</summary>
    Event,

    /// <summary>A <c>block_actions</c> interaction; <see cref="SlackItem.Payload"/> is its <c>payload</c> JSON.</summary>
    Action,
}
