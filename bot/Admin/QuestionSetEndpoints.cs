using System.Text.Json;
using System.Text.Json.Nodes;
using ProcurementBot.BotFramework;
using ProcurementBot.Http;
using ProcurementBot.QuestionSets;
using ProcurementBot.Storage;

namespace ProcurementBot.Admin;

public static class QuestionSetEndpoints
{
    public const long MaxBodyBytes = 256 * 1024;

    private static readonly Lazy<byte[]> Schema = new(() =>
    {
        using var stream = typeof(QuestionSetEndpoints).Assembly.GetManifestResourceStream("question-set.schema.json")
            ?? throw new InvalidOperationException("question-set.schema.json is not embedded in the bot.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IServiceCollection AddQuestionSetAdmin(this IServiceCollection services)
    {
        services.AddSingleton<QuestionSetAdmin>();
        services.AddSingleton<QuestionSetCommands>();
        services.AddSingleton<IAdminChangeLog, AuditedAdminChangeLog>();
        return services;
    }

    public static RouteGroupBuilder MapQuestionSets(this RouteGroupBuilder admin)
    {
        var sets = admin.MapGroup("/question-sets");
        sets.MapGet("/", ListAsync).WithSummary("Current question sets; archived ones too with ?includeArchived=true.");
        sets.MapGet("/schema", () => Results.Bytes(Schema.Value, "application/schema+json"))
            .WithSummary("The question-set format as JSON Schema (draft 2020-12).");
        sets.MapGet("/{id}", GetAsync).WithSummary("The current version of a set, or ?version=n.");
        sets.MapPost("/", CreateAsync).WithSummary("Creates a set as version 1.");
        sets.MapPut("/{id}", UpdateAsync).WithSummary("Publishes a new version; check-ins already sent keep theirs.");
        sets.MapPost("/validate", ValidateAsync).WithSummary("The errors a set has; stores nothing.");
        sets.MapPost("/preview", PreviewBodyAsync).WithSummary("The check-in employees would see for this set and a sample purchase: Adaptive Card and Block Kit.");
        sets.MapGet("/{id}/preview", PreviewStoredAsync).WithSummary("The check-in employees see for a stored set (?version=n) and a sample purchase: Adaptive Card and Block Kit.");
        sets.MapPost("/{id}/archive", ArchiveAsync).WithSummary("Stops using a set for new check-ins.");
        return admin;
    }

    private sealed record Summary(string Id, int Version, string Name, bool IsDefault, IReadOnlyList<string> Categories, bool Archived)
    {
        public static Summary Of(QuestionSet set, bool archived) => new(set.Id, set.Version, set.Name, set.IsDefault, set.Categories, archived);
    }

    private static async Task<IResult> ListAsync(IProcurementStore store, bool? includeArchived, CancellationToken cancellationToken)
    {
        var current = (await store.GetCurrentQuestionSetsAsync(cancellationToken)).Select(s => Summary.Of(s, false));
        var archived = includeArchived == true ? (await store.GetArchivedQuestionSetsAsync(cancellationToken)).Select(s => Summary.Of(s, true)) : [];
        return Results.Ok(current.Concat(archived).OrderBy(s => s.Id, StringComparer.Ordinal).ToList());
    }

    private static async Task<IResult> GetAsync(string id, int? version, IProcurementStore store, CancellationToken cancellationToken) =>
        await FindAsync(store, id, version, cancellationToken) is { } set ? AsJson(set) : NotFound(id, version);

    /// <summary>The given version, or the latest one (archived or not).</summary>
    private static async Task<QuestionSet?> FindAsync(IProcurementStore store, string id, int? version, CancellationToken cancellationToken) =>
        version is { } n
            ? await store.GetQuestionSetAsync(id, n, cancellationToken)
            : (await store.GetQuestionSetVersionsAsync(id, cancellationToken)) is { Count: > 0 } versions ? versions[^1] : null;

    private static async Task<IResult> CreateAsync(
        HttpContext http, QuestionSetAdmin admin, IProcurementStore store, IAdminChangeLog changes, CancellationToken cancellationToken)
    {
        var (set, refusal) = await ReadValidAsync(http.Request, admin, cancellationToken);
        if (set is null)
        {
            return refusal!;
        }

        if ((await store.GetQuestionSetVersionsAsync(set.Id, cancellationToken)).Count > 0)
        {
            return Conflict($"A question set with the id '{set.Id}' exists; change it with PUT /api/admin/question-sets/{set.Id}.");
        }

        if (await admin.ConflictsAsync(set, cancellationToken) is { Count: > 0 } conflicts)
        {
            return Invalid(conflicts, StatusCodes.Status409Conflict, "The set conflicts with the current sets; nothing was stored.");
        }

        var created = set with { Version = 1 };
        if (!await store.AddQuestionSetVersionAsync(created, cancellationToken))
        {
            return Conflict($"A question set with the id '{set.Id}' was created meanwhile.");
        }

        await changes.RecordAsync(http, "question-set.create", set.Id, "version 1", cancellationToken);
        return Results.Json(created, QuestionSetJson.Output, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(
        string id, HttpContext http, QuestionSetAdmin admin, IProcurementStore store, IAdminChangeLog changes, CancellationToken cancellationToken)
    {
        var (set, refusal) = await ReadValidAsync(http.Request, admin, cancellationToken);
        if (set is null)
        {
            return refusal!;
        }

        if (set.Id != id)
        {
            return Invalid([new("/id", $"The id in the body ('{set.Id}') must be the one in the address ('{id}').")]);
        }

        var versions = await store.GetQuestionSetVersionsAsync(id, cancellationToken);
        if (versions.Count == 0)
        {
            return NotFound(id, null);
        }

        if (await admin.IsArchivedAsync(id, cancellationToken))
        {
            return Conflict($"The set '{id}' is archived; create a set with a new id instead.");
        }

        if (await admin.ConflictsAsync(set, cancellationToken) is { Count: > 0 } conflicts)
        {
            return Invalid(conflicts, StatusCodes.Status409Conflict, "The set conflicts with the current sets; nothing was stored.");
        }

        var next = set with { Version = versions[^1].Version + 1 };
        if (!await store.AddQuestionSetVersionAsync(next, cancellationToken))
        {
            return Conflict($"The set '{id}' was changed meanwhile; read it again and send your change once more.");
        }

        await changes.RecordAsync(http, "question-set.update", id, $"version {next.Version}", cancellationToken);
        return AsJson(next);
    }

    private static async Task<IResult> ValidateAsync(HttpRequest request, QuestionSetAdmin admin, CancellationToken cancellationToken)
    {
        var (reading, refusal) = await ReadAsync(request, cancellationToken);
        if (reading is null)
        {
            return refusal!;
        }

        IReadOnlyList<ValidationError> errors = reading.Set is { } set
            ? [.. admin.Validate(set), .. await admin.ConflictsAsync(set, cancellationToken)]
            : reading.Errors;
        return Results.Ok(new { valid = errors.Count == 0, errors });
    }

    private static async Task<IResult> ArchiveAsync(
        string id, HttpContext http, QuestionSetAdmin admin, IProcurementStore store, IAdminChangeLog changes, CancellationToken cancellationToken)
    {
        if ((await store.GetQuestionSetVersionsAsync(id, cancellationToken)).Count == 0)
        {
            return NotFound(id, null);
        }

        if (await admin.IsArchivedAsync(id, cancellationToken))
        {
            return Results.Ok(new { id, archived = true });
        }

        if (await admin.ArchiveRefusalAsync(id, cancellationToken) is { } reason)
        {
            return Conflict(reason);
        }

        await store.ArchiveQuestionSetAsync(id, cancellationToken);
        await changes.RecordAsync(http, "question-set.archive", id, null, cancellationToken);
        return Results.Ok(new { id, archived = true });
    }

    private static async Task<IResult> PreviewBodyAsync(HttpRequest request, QuestionSetAdmin admin, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (set, refusal) = await ReadValidAsync(request, admin, cancellationToken);
        return set is null ? refusal! : Card(set, clock);
    }

    private static async Task<IResult> PreviewStoredAsync(string id, int? version, IProcurementStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        await FindAsync(store, id, version, cancellationToken) is { } set ? Card(set, clock) : NotFound(id, version);

    /// <summary>The first check-in as each channel shows it: the Adaptive Card (Teams) and the Block Kit message (Slack).</summary>
    private static IResult Card(QuestionSet set, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var slack = QuestionSetPreview.RenderBlockKit(set, now);
        return Results.Json(new JsonObject
        {
            ["adaptiveCard"] = JsonSerializer.SerializeToNode(QuestionSetPreview.Render(set, now), ProtocolJson.Options),
            ["blockKit"] = new JsonObject { ["text"] = slack.Text, ["blocks"] = slack.Blocks },
        });
    }

    /// <summary>A set that passes its own validation, or the response refusing it.</summary>
    private static async Task<(QuestionSet? Set, IResult? Refusal)> ReadValidAsync(HttpRequest request, QuestionSetAdmin admin, CancellationToken cancellationToken)
    {
        var (reading, refusal) = await ReadAsync(request, cancellationToken);
        if (reading is null)
        {
            return (null, refusal);
        }

        if (reading.Set is not { } set)
        {
            return (null, Invalid(reading.Errors));
        }

        var errors = admin.Validate(set);
        return errors.Count > 0 ? (null, Invalid(errors)) : (set, null);
    }

    private static async Task<(QuestionSetJson.Reading? Reading, IResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await BodyReader.ReadLimitedAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, BodyReader.TooLarge(MaxBodyBytes));
        }

        try
        {
            return (QuestionSetJson.Read(body), null);
        }
        catch (MalformedInputException ex)
        {
            return (null, ex.ToProblem());
        }
    }

    private static IResult AsJson(QuestionSet set) => Results.Json(set, QuestionSetJson.Output);

    private static IResult Invalid(IReadOnlyList<ValidationError> errors, int status = StatusCodes.Status400BadRequest, string title = "The question set is not valid; nothing was stored.") =>
        Results.Problem(
            statusCode: status,
            title: title,
            detail: "Each error points (as a JSON pointer) at the field to fix.",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    private static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict with the stored question sets", detail: detail);

    private static IResult NotFound(string id, int? version) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such question set",
            detail: version is { } n ? $"The set '{id}' has no version {n}." : $"There is no question set '{id}'.");
}
