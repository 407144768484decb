using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcurementBot.BotFramework;

/// <summary>
/// A Bot Framework activity, as much of it as the bot reads or writes. Unknown fields are kept in
/// <see cref="Extra"/> and otherwise ignored.
/// </summary>
public sealed class Activity
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public string? ServiceUrl { get; set; }
    public string? ChannelId { get; set; }
    public ChannelAccount? From { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public ChannelAccount? Recipient { get; set; }
    public string? TextFormat { get; set; }
    public string? Text { get; set; }
    public string? Summary { get; set; }
    public string? Locale { get; set; }
    public string? ReplyToId { get; set; }
    public string? Name { get; set; }
    public string? Action { get; set; }
    public string? InputHint { get; set; }
    public JsonElement? Value { get; set; }
    public List<ChannelAccount>? MembersAdded { get; set; }
    public List<ChannelAccount>? MembersRemoved { get; set; }
    public List<Attachment>? Attachments { get; set; }
    public List<JsonElement>? Entities { get; set; }
    public JsonElement? ChannelData { get; set; }
    public SuggestedActions? SuggestedActions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The Teams tenant, from the conversation or the channel data.</summary>
    public string? TenantId() =>
        Conversation?.TenantId ?? ChannelDataString("tenant", "id");

    public bool IsPersonal() =>
        Conversation is { } c && c.IsGroup != true && (c.ConversationType is null or "personal");

    public string? ChannelDataString(string property, string child) =>
        ChannelData is { ValueKind: JsonValueKind.Object } data
        && data.TryGetProperty(property, out var inner) && inner.ValueKind == JsonValueKind.Object
        && inner.TryGetProperty(child, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The text with the bot's own @mention removed, as a person typed it.</summary>
    public string TextWithoutBotMention()
    {
        var text = Text ?? "";
        foreach (var entity in Entities ?? [])
        {
            if (entity.ValueKind == JsonValueKind.Object
                && entity.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("mention")
                && entity.TryGetProperty("mentioned", out var mentioned) && mentioned.ValueKind == JsonValueKind.Object
                && mentioned.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == Recipient?.Id
                && entity.TryGetProperty("text", out var mentionText) && mentionText.ValueKind == JsonValueKind.String && mentionText.GetString() is { Length: > 0 } m)
            {
                text = text.Replace(m, "", StringComparison.Ordinal);
            }
        }

        return text.Replace("&nbsp;", " ", StringComparison.Ordinal).Trim();
    }
}
