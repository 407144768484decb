namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

/// <summary>
/// Text exactly as someone typed it: a TextRun is not read as Markdown, so a requester's "[link](url)"
/// or "**" stays what they wrote on a buyer's card.
/// </summary>
public sealed record RichTextBlock(IReadOnlyList<TextRun> Inlines) : CardElement
{
    public RichTextBlock(string plainText) : this([new TextRun(plainText)]) { }
}
