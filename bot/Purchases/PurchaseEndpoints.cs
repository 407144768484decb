using System.Text.Json;
using ProcurementBot.Http;

namespace ProcurementBot.Purchases;

public static class PurchaseEndpoints
{
    public const long MaxBodyBytes = 10 * 1024 * 1024;
    private const string MalformedBody = "Malformed body";

    public static IEndpointRouteBuilder MapPurchases(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/purchases", ReceiveAsync)
            .AddEndpointFilter(new ApiKeyFilter("Intake"))
            .WithName("ReceivePurchases")
            .WithSummary("Purchase-delivered events: one JSON object, a JSON array, or text/csv with a header row.");
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, PurchaseIntake intake, CancellationToken cancellationToken)
    {
        var body = await BodyReader.ReadLimitedAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return BodyReader.TooLarge(MaxBodyBytes);
        }

        var mediaType = request.GetTypedHeaders().ContentType?.MediaType.Value?.ToLowerInvariant();
        IReadOnlyList<PurchaseInput> inputs;
        try
        {
            inputs = mediaType switch
            {
                "application/json" or "text/json" => FromJson(body),
                "text/csv" or "application/csv" => FromCsv(body),
                _ => throw new UnsupportedMediaException(mediaType),
            };
        }
        catch (UnsupportedMediaException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: $"Send application/json (an object or an array) or text/csv, not '{ex.MediaType ?? "nothing"}'.");
        }
        catch (MalformedInputException ex)
        {
            return ex.ToProblem();
        }
        catch (FormatException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: MalformedBody, detail: ex.Message);
        }

        try
        {
            var result = await intake.AcceptAsync(inputs, cancellationToken);
            var body201 = new { created = result.Created, alreadyKnown = result.AlreadyKnown };
            return result.Created.Count > 0 ? Results.Created((string?)null, body201) : Results.Ok(body201);
        }
        catch (IntakeValidationException ex)
        {
            return Results.ValidationProblem(
                ex.Errors.ToDictionary(e => e.Key, e => e.Value),
                title: "Some purchases are not valid; none were stored.",
                detail: "Fix the fields named in errors and send the request again.");
        }
    }

    private static List<PurchaseInput> FromJson(byte[] body)
    {
        using var document = BodyReader.ParseJson(body, 16, MalformedBody, "a purchase or an array of purchases");
        var root = document.RootElement;
        return root.ValueKind switch
        {
            JsonValueKind.Object => [FromObject(root, "purchase")],
            JsonValueKind.Array => [.. root.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.Object
                ? FromObject(e, $"[{i}]")
                : throw new MalformedInputException(MalformedBody, $"Item [{i}] is {e.ValueKind}, not a purchase object."))],
            _ => throw new MalformedInputException(MalformedBody, "The body must be a purchase object or an array of them."),
        };
    }

    private static PurchaseInput FromObject(JsonElement element, string where)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            fields[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new MalformedInputException(MalformedBody, $"{where}.{property.Name} must be a string or a number."),
            };
        }

        return new PurchaseInput(where, fields);
    }

    private static List<PurchaseInput> FromCsv(byte[] body)
    {
        var text = BodyReader.Utf8(body, MalformedBody, "CSV");
        var rows = Csv.Parse(text);
        if (rows.Count == 0)
        {
            throw new FormatException("The CSV is empty; it needs a header row naming the fields, then one row per purchase.");
        }

        var header = rows[0].Fields.Select(h => h.Trim()).ToList();
        if (header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new FormatException($"The header names the field '{twice.Key}' twice; name each field once.");
        }

        var result = new List<PurchaseInput>(rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            var where = $"line {row.Line}";
            if (row.Fields.Count != header.Count)
            {
                result.Add(new PurchaseInput(where, new Dictionary<string, string?>(), $"This row has {row.Fields.Count} fields; the header has {header.Count}."));
                continue;
            }

            result.Add(new PurchaseInput(where, header.Zip(row.Fields).ToDictionary(p => p.First, p => (string?)p.Second, StringComparer.Ordinal)));
        }

        return result;
    }

    private sealed class UnsupportedMediaException(string? mediaType) : Exception
    {
        public string? MediaType { get; } = mediaType;
    }
}
