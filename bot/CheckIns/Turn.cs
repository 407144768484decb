using ProcurementBot.People;

namespace ProcurementBot.CheckIns;

/// <summary>
/// One thing a person did in their chat with the bot, as a channel adapter understood it.
/// <see cref="ActivityKey"/> identifies the channel's activity, so a retried delivery is recognised.
/// </summary>
public sealed record Turn(Person Person, string ActivityKey, string? Text, CardSubmission? Submission, string? ReplyToId = null);

/// <summary>
/// A button pressed on a check-in card, with the card's inputs by question id. A <paramref name="Partial"/> submission
/// answers only the questions it carries and leaves the others open: channels that send one click per question
/// (Slack) submit that way, while a whole card submitted at once (Teams) reports its required questions left blank.
/// </summary>
public sealed record CardSubmission(string Action, string? CheckInId, IReadOnlyDictionary<string, string> Values, bool Partial = false)
{
    public const string AnswerAction = "checkin.answer";
}
