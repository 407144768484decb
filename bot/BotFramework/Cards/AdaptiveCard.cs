using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

public sealed record AdaptiveCard
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>Teams refuses cards of 28 KB and more.</summary>
    public const int TeamsMaxBytes = 28 * 1024;

    [JsonPropertyName("type")]
    public string Type => "AdaptiveCard";

    [JsonPropertyName("$schema")]
    public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";

    public string Version { get; init; } = "1.5";

    /// <summary>Spoken and notification text.</summary>
    public string? Speak { get; init; }

    public required IReadOnlyList<CardElement> Body { get; init; }
    public IReadOnlyList<CardActionBase>? Actions { get; init; }

    /// <summary>Teams-specific settings, e.g. <c>{"width":"Full"}</c>.</summary>
    [JsonPropertyName("msteams")]
    public TeamsCardSettings? Teams { get; init; }

    /// <summary>The card's size as it is sent, to compare with <see cref="TeamsMaxBytes"/>.</summary>
    public int SizeInBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ProtocolJson.Options).Length;
}

public sealed record TeamsCardSettings(string? Width = null)
{
    /// <summary>People @mentioned in the card's text as <c>&lt;at&gt;Name&lt;/at&gt;</c>.</summary>
    public IReadOnlyList<CardMention>? Entities { get; init; }
}

/// <summary>A Teams @mention inside a card: <see cref="Text"/> must appear verbatim in a TextBlock.</summary>
public sealed record CardMention(string Text, MentionedAccount Mentioned)
{
    public string Type => "mention";
}

/// <summary>The mentioned person: a Teams user id (29:...), an AAD object id, or a UPN.</summary>
public sealed record MentionedAccount(string Id, string Name);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(RichTextBlock), "RichTextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(Container), "Container")]
[JsonDerivedType(typeof(ChoiceSetInput), "Input.ChoiceSet")]
[JsonDerivedType(typeof(TextInput), "Input.Text")]
[JsonDerivedType(typeof(ActionSet), "ActionSet")]
public abstract record CardElement
{
    public string? Id { get; init; }
    public string? Spacing { get; init; }
    public bool? Separator { get; init; }
}

public sealed record TextBlock(string Text) : CardElement
{
    public bool? Wrap { get; init; } = true;
    public string? Size { get; init; }
    public string? Weight { get; init; }
    public string? Color { get; init; }
    public bool? IsSubtle { get; init; }
    public int? MaxLines { get; init; }
}

/// <summary>
/// Text exactly as someone typed it: a TextRun is not read as Markdown, so a requester's "[link](url)"
/// or "**" stays what they wrote on a buyer's card.
/// </summary>
public sealed record RichTextBlock(IReadOnlyList<TextRun> Inlines) : CardElement
{
    public RichTextBlock(string plainText) : this([new TextRun(plainText)]) { }
}

public sealed record TextRun(string Text)
{
    public string Type => "TextRun";

    public bool? Italic { get; init; }
}

public sealed record Fact(string Title, string Value);

public sealed record FactSet(IReadOnlyList<Fact> Facts) : CardElement;

public sealed record Container(IReadOnlyList<CardElement> Items) : CardElement
{
    public string? Style { get; init; }
}

public sealed record Choice(string Title, string Value);

public sealed record ChoiceSetInput : CardElement
{
    public required IReadOnlyList<Choice> Choices { get; init; }
    public string? Label { get; init; }
    public string? Style { get; init; }
    public bool? IsRequired { get; init; }
    public string? ErrorMessage { get; init; }
    public string? Placeholder { get; init; }
    public string? Value { get; init; }
}

public sealed record TextInput : CardElement
{
    public string? Label { get; init; }
    public string? Placeholder { get; init; }
    public bool? IsMultiline { get; init; }
    public int? MaxLength { get; init; }
    public bool? IsRequired { get; init; }
    public string? ErrorMessage { get; init; }
}

public sealed record ActionSet(IReadOnlyList<CardActionBase> Actions) : CardElement;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
public abstract record CardActionBase
{
    public required string Title { get; init; }
    public string? Id { get; init; }
    public string? Style { get; init; }
}

/// <summary>Arrives as a message activity whose value is <see cref="Data"/> merged with the inputs.</summary>
public sealed record SubmitAction : CardActionBase
{
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    /// <summary>"none" sends (and validates) no inputs, as on <see cref="ExecuteAction"/>.</summary>
    public string? AssociatedInputs { get; init; }
}

/// <summary>Universal Actions: arrives as an <c>adaptiveCard/action</c> invoke.</summary>
public sealed record ExecuteAction : CardActionBase
{
    public required string Verb { get; init; }
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    /// <summary>"none" sends no inputs (and validates none): the action works with a required input left empty.</summary>
    public string? AssociatedInputs { get; init; }
}
