using ProcurementBot.CheckIns;

namespace ProcurementBot.Admin;

/// <summary>Shows an admin the card of a question set as employees see it, for a sample purchase.</summary>
public sealed record QuestionSetPreviewReply(string SetId, int Version, CheckInCard Card) : Reply;
