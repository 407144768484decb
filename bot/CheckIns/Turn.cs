using ProcurementBot.People;

namespace ProcurementBot.CheckIns;

/// <summary>
/// One thing a person did in their chat with the bot, as a channel adapter understood it.
/// <see cref="ActivityKey"/> identifies the channel's activity, so a retried delivery is recognised.
/// </summary>
public sealed record Turn(Person Person, string ActivityKey, string? Text, CardSubmission? Submission, string? ReplyToId = null);
