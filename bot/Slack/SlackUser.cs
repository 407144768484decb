namespace ProcurementBot.Slack;

/// <summary>A Slack user as <c>users.info</c> and <c>users.lookupByEmail</c> describe them.</summary>
public sealed record SlackUser(string Id, string? TeamId, string? Name, string? Email, string? TimeZone, bool IsBot, bool Deleted);
