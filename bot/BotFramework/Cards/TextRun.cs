namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

public sealed record TextRun(string Text)
{
    public string Type => "TextRun";

    public bool? Italic { get; init; }
}
