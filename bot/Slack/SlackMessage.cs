namespace ProcurementBot.Slack;

/// <summary>Where a posted message is: its channel and timestamp (Slack's message id).</summary>
public sealed record SlackMessage(string Channel, string Ts);
