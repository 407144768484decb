namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

public sealed record TeamsCardSettings(string? Width = null)
{
    /// <summary>People @mentioned in the card's text as <c>&lt;at&gt;Name&lt;/at&gt;</c>.</summary>
    public IReadOnlyList<CardMention>? Entities { get; init; }
}
