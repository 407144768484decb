namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

/// <summary>Arrives as a message activity whose value is <see cref="Data"/> merged with the inputs.</summary>
public sealed record SubmitAction : CardActionBase
{
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    /// <summary>"none" sends (and validates) no inputs, as on <see cref="ExecuteAction"/>.</summary>
    public string? AssociatedInputs { get; init; }
}
