namespace ProcurementBot.CheckIns;

/// <summary>Plain text, with quick replies where the channel has them.</summary>
public sealed record TextReply(string Text, IReadOnlyList<string> Suggestions) : Reply
{
    public TextReply(string text) : this(text, []) { }
}
