namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

/// <summary>Universal Actions: arrives as an <c>adaptiveCard/action</c> invoke.</summary>
public sealed record ExecuteAction : CardActionBase
{
    public required string Verb { get; init; }
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    /// <summary>"none" sends no inputs (and validates none): the action works with a required input left empty.</summary>
    public string? AssociatedInputs { get; init; }
}
