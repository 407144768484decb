using ProcurementBot.Purchases;
using ProcurementBot.Surveys;

namespace ProcurementBot.CheckIns;

/// <summary>
/// What the bot says, independent of any channel. Channel adapters render these as Adaptive Cards,
/// Block Kit or plain text.
/// </summary>
public abstract record Reply;

/// <summary>Plain text, with quick replies where the channel has them.</summary>
public sealed record TextReply(string Text, IReadOnlyList<string> Suggestions) : Reply
{
    public TextReply(string text) : this(text, []) { }
}

/// <summary>A card asking the open questions of a check-in; its message id is remembered for the summary.</summary>
public sealed record CheckInCardReply(CheckInCard Card) : Reply;

/// <summary>Replaces an earlier check-in card with a read-only summary.</summary>
public sealed record CheckInSummaryReply(string MessageId, CheckInSummary Summary) : Reply;

public sealed record CheckInCard(
    string CheckInId,
    string Greeting,
    Purchase Purchase,
    IReadOnlyList<CardQuestion> Questions);

public sealed record CardQuestion(Question Question, string Text, int Number);

public sealed record CheckInSummary(string CheckInId, Purchase Purchase, string Status, IReadOnlyList<(string Question, string Answer)> Answers);
