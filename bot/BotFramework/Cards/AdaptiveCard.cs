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
