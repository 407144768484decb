namespace ProcurementBot.CheckIns;

/// <summary>
/// A button pressed on a check-in card, with the card's inputs by question id. A <paramref name="Partial"/> submission
/// answers only the questions it carries and leaves the others open: channels that send one click per question
/// (Slack) submit that way, while a whole card submitted at once (Teams) reports its required questions left blank.
/// </summary>
public sealed record CardSubmission(string Action, string? CheckInId, IReadOnlyDictionary<string, string> Values, bool Partial = false)
{
    public const string AnswerAction = "checkin.answer";
}
