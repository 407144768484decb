using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcurementBot.Storage;

/// <summary>How documents are written to any store: camelCase, enums by name, nulls left out.</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"A stored {typeof(T).Name} document is empty.");

    public static string NewETag() => Guid.NewGuid().ToString("N");
}
