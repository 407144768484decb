namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

/// <summary>A Teams @mention inside a card: <see cref="Text"/> must appear verbatim in a TextBlock.</summary>
public sealed record CardMention(string Text, MentionedAccount Mentioned)
{
    public string Type => "mention";
}
