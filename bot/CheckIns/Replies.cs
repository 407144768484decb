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

/// <summary>
/// A card asking the open questions of a check-in; its message id is remembered for the summary. With
/// <paramref name="ReplacesMessageId"/> it updates that earlier card in place instead of being sent anew.
/// </summary>
public sealed record CheckInCardReply(CheckInCard Card, string? ReplacesMessageId = null) : Reply;

/// <summary>Replaces an earlier check-in card with a read-only summary.</summary>
public sealed record CheckInSummaryReply(string MessageId, CheckInSummary Summary) : Reply;

public sealed record CheckInCard(
    string CheckInId,
    string Greeting,
    Purchase Purchase,
    IReadOnlyList<CardQuestion> Questions)
{
    /// <summary>Questions already answered, as they read back, for channels that show them on the updated card.</summary>
    public IReadOnlyList<(string Question, string Answer)> Answered { get; init; } = [];
}

public sealed record CardQuestion(Question Question, string Text, int Number);

public sealed record CheckInSummary(string CheckInId, Purchase Purchase, string Status, IReadOnlyList<(string Question, string Answer)> Answers);
