using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProcurementBot.Http;

/// <summary>
/// Reads request bodies for every endpoint: whole, up to a limit, and as JSON that is checked once, here, so code
/// further in never meets a malformed document. Anything wrong becomes a <see cref="MalformedInputException"/>.
/// </summary>
internal static class BodyReader
{
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static IResult TooLarge(long maxBytes) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body must be at most {maxBytes / 1024} KB. Split large imports into several requests.");

    /// <summary>
    /// The body as a JSON document that is safe to read anywhere: well formed, at most <paramref name="maxDepth"/>
    /// deep, no property twice in one object (which one would count?), and every string decodable. The last is checked
    /// here because System.Text.Json accepts an escaped lone surrogate (<c>"\ud800"</c>) when parsing and throws
    /// <see cref="InvalidOperationException"/> only when the string is read, wherever that happens.
    /// </summary>
    public static JsonDocument ParseJson(ReadOnlyMemory<byte> body, int maxDepth, string title, string what)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw new MalformedInputException(title, $"The body is not {what}: {ex.Message}", ex);
        }

        try
        {
            CheckStrings(document.RootElement, "$");
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }

        void CheckStrings(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Decode(() => property.Name, path);
                        CheckStrings(property.Value, $"{path}.{property.Name}");
                    }

                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        CheckStrings(item, $"{path}[{i++}]");
                    }

                    break;
                case JsonValueKind.String:
                    Decode(element.GetString, path);
                    break;
            }
        }

        void Decode(Func<string?> read, string path)
        {
            try
            {
                _ = read();
            }
            catch (InvalidOperationException ex)
            {
                // The path up to here decoded, so it can be named.
                throw new MalformedInputException(title, $"The body is not {what}: a string at {path} is not valid UTF-16 (an unpaired surrogate escape such as \\ud800).", ex);
            }
        }
    }

    /// <summary>The body as an object of <typeparamref name="T"/>, after the checks of <see cref="ParseJson"/>.</summary>
    public static T? Deserialize<T>(ReadOnlyMemory<byte> body, JsonSerializerOptions options, string title, string what)
    {
        using var checkedDocument = ParseJson(body, options.MaxDepth is 0 ? 64 : options.MaxDepth, title, what);
        try
        {
            return checkedDocument.RootElement.Deserialize<T>(options);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or NotSupportedException)
        {
            throw new MalformedInputException(title, $"The body is not {what}: {ex.Message}", ex);
        }
    }

    /// <summary>The body as a JSON object node, after the checks of <see cref="ParseJson"/>; null when it is another JSON value.</summary>
    public static JsonObject? ParseObject(ReadOnlyMemory<byte> body, int maxDepth, string title, string what)
    {
        using var checkedDocument = ParseJson(body, maxDepth, title, what);
        return checkedDocument.RootElement.ValueKind == JsonValueKind.Object
            ? JsonNode.Parse(checkedDocument.RootElement.GetRawText(), documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth }) as JsonObject
            : null;
    }

    /// <summary>UTF-8 text, refusing bytes that are not UTF-8 rather than replacing them.</summary>
    public static string Utf8(ReadOnlySpan<byte> body, string title, string what)
    {
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException ex)
        {
            throw new MalformedInputException(title, $"The body is not {what}: it is not valid UTF-8 (byte {ex.Index}).", ex);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
}
