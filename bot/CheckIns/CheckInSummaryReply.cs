namespace ProcurementBot.CheckIns;

/// <summary>Replaces an earlier check-in card with a read-only summary.</summary>
public sealed record CheckInSummaryReply(string MessageId, CheckInSummary Summary) : Reply;
