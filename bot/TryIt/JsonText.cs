using System.Text.Json;

namespace ProcurementBot.TryIt;

/// <summary>Reads a JSON property as text, whatever scalar it is.</summary>
internal static class JsonText
{
    public static string? Of(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;
}
