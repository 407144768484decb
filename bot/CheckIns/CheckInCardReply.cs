namespace ProcurementBot.CheckIns;

/// <summary>
/// A card asking the open questions of a check-in; its message id is remembered for the summary. With
/// <paramref name="ReplacesMessageId"/> it updates that earlier card in place instead of being sent anew.
/// </summary>
public sealed record CheckInCardReply(CheckInCard Card, string? ReplacesMessageId = null) : Reply;
