using System.Text.Json.Serialization;

namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
public abstract record CardActionBase
{
    public required string Title { get; init; }
    public string? Id { get; init; }
    public string? Style { get; init; }
}
