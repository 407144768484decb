namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

public sealed record TextInput : CardElement
{
    public string? Label { get; init; }
    public string? Placeholder { get; init; }
    public bool? IsMultiline { get; init; }
    public int? MaxLength { get; init; }
    public bool? IsRequired { get; init; }
    public string? ErrorMessage { get; init; }
}
