namespace ProcurementBot.Tests.Support;

public static class CardText
{
    /// <summary>Every string and number in a card, unescaped and joined with " | ": what a reader could see, and a little more.</summary>
    public static string Of(JsonNode? node) => node switch
    {
        JsonObject o => string.Join(" | ", o.Select(p => Of(p.Value))),
        JsonArray a => string.Join(" | ", a.Select(Of)),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => "",
    };
}
