namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

public sealed record TextBlock(string Text) : CardElement
{
    public bool? Wrap { get; init; } = true;
    public string? Size { get; init; }
    public string? Weight { get; init; }
    public string? Color { get; init; }
    public bool? IsSubtle { get; init; }
    public int? MaxLines { get; init; }
}
