namespace ProcurementBot.BotFramework;

/// <summary>What to put in the HTTP response of an invoke.</summary>
public sealed record InvokeResult(int Status, object? Body);
