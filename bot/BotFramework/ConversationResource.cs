namespace ProcurementBot.BotFramework;

/// <summary>What the connector answers to a created conversation.</summary>
public sealed record ConversationResource(string Id, string? ActivityId, string? ServiceUrl);
