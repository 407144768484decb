using System.Globalization;
using System.Text;
using ProcurementBot.CheckIns;
using ProcurementBot.Http;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;
using ProcurementBot.Rollups;
using ProcurementBot.Storage;

namespace ProcurementBot.Admin;

/// <summary>The answers coming back out: responses as JSON pages and as one CSV file, and a summary of whole months.</summary>
public static class ResultEndpoints
{
    private const int DefaultPageSize = 100;
    private static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);
    private static readonly string[] CsvColumns = ["purchaseId", "supplier", "category", "completedAt", "status", "questionSetId", "questionSetVersion", "answers"];

    public static RouteGroupBuilder MapResults(this RouteGroupBuilder admin)
    {
        admin.MapGet("/responses", ListAsync)
            .WithName("GetAdminResponses")
            .WithSummary("Finished check-ins by completion time: purchaseId, supplier, category, from, to (default the last 30 days), pageSize (1-500, default 100), continuation.");
        admin.MapGet("/responses.csv", CsvAsync)
            .WithName("GetAdminResponsesCsv")
            .WithSummary("The same responses (every page) as RFC 4180 CSV in UTF-8, one row per response, formula-like cells neutralised.");
        admin.MapGet("/summary", SummaryAsync)
            .WithName("GetAdminSummary")
            .WithSummary("Whole UTC months from (yyyy-MM) to (yyyy-MM), default this month: check-ins sent, responses and response rate, CSAT and NPS overall and per supplier and category, and the escalations raised then by state (open, overdue, resolved).");
        return admin;
    }

    private static async Task<IResult> SummaryAsync(string? from, string? to, ResultRollups rollups, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var now = clock.GetUtcNow().UtcDateTime;
        var last = Month(to, "to", new DateOnly(now.Year, now.Month, 1), errors);
        var first = Month(from, "from", last, errors);
        if (errors.Count == 0 && first > last)
        {
            errors["from"] = ["from must not be after to."];
        }
        else if (errors.Count == 0 && (last.Year - first.Year) * 12 + last.Month - first.Month >= ResultSummary.MaxMonths)
        {
            errors["from"] = [$"A summary covers at most {ResultSummary.MaxMonths} months; ask for a shorter period."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: $"Bad parameter: {string.Join(", ", errors.Keys)}.");
        }

        var months = ResultSummary.Months(first, last).ToList();
        var rollupsOfMonths = new List<Rollup>();
        foreach (var month in months)
        {
            rollupsOfMonths.AddRange(await rollups.GetMonthAsync(month, cancellationToken));
        }

        return Results.Ok(ResultSummary.Of(months[0], months[^1], rollupsOfMonths));
    }

    private static DateOnly Month(string? value, string name, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            // The months are walked one after another: the calendar's last month has no next.
            if (InputDates.InRange(month))
            {
                return month;
            }

            errors[name] = [InputDates.OutOfRange(name)];
            return fallback;
        }

        errors[name] = [$"{name} must be a month as yyyy-MM, like 2026-03; got '{value}'."];
        return fallback;
    }

    private sealed record AnswerItem(string QuestionId, string? Question, string? Answer);

    private sealed record ResponseItem(
        string PurchaseId, string Supplier, string Category, string Description, string? RequesterEmail, DateTimeOffset CompletedAt,
        string Status, string QuestionSetId, int QuestionSetVersion, IReadOnlyList<AnswerItem> Answers);

    private static async Task<IResult> ListAsync(
        string? purchaseId, string? supplier, string? category, string? from, string? to, string? pageSize, string? continuation,
        IProcurementStore store, QuestionSetCatalog catalog, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (query, refusal) = Read(purchaseId, supplier, category, from, to, pageSize, continuation, clock);
        if (query is null)
        {
            return refusal!;
        }

        var page = await store.GetResponsesAsync(query, cancellationToken);
        var items = new List<ResponseItem>(page.Items.Count);
        foreach (var checkIn in page.Items)
        {
            items.Add(await ItemAsync(checkIn, catalog, cancellationToken));
        }

        return Results.Ok(new { items, continuation = page.Continuation });
    }

    private static async Task<IResult> CsvAsync(
        string? purchaseId, string? supplier, string? category, string? from, string? to, IProcurementStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (query, refusal) = Read(purchaseId, supplier, category, from, to, null, null, clock);
        if (query is null)
        {
            return refusal!;
        }

        var csv = new StringBuilder(Csv.Line(CsvColumns));
        query = query with { PageSize = ResponseQuery.MaxPageSize };
        do
        {
            var page = await store.GetResponsesAsync(query, cancellationToken);
            foreach (var c in page.Items)
            {
                csv.Append(Csv.Line(
                [
                    c.Id, c.Purchase.Supplier, c.Purchase.Category, c.CompletedAt!.Value.ToString("O", CultureInfo.InvariantCulture), c.Status.ToString(),
                    c.QuestionSetId, c.QuestionSetVersion.ToString(CultureInfo.InvariantCulture),
                    string.Join("; ", c.Answers.Select(a => $"{a.QuestionId}={ValueOf(a) ?? "(skipped)"}")),
                ]));
            }

            query = query with { Continuation = page.Continuation };
        }
        while (query.Continuation is not null);

        return Results.Bytes([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())], "text/csv; charset=utf-8", "responses.csv");
    }

    private static async Task<ResponseItem> ItemAsync(CheckIn checkIn, QuestionSetCatalog catalog, CancellationToken cancellationToken)
    {
        QuestionSet? set = null;
        try
        {
            set = await catalog.GetAsync(checkIn.QuestionSetId, checkIn.QuestionSetVersion, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // A set missing from the store: the answers are still listed, by question id, and the requester is withheld.
        }

        var questions = set?.Questions.ToDictionary(q => q.Id, q => q.Text, StringComparer.Ordinal) ?? [];
        return new ResponseItem(
            checkIn.Id, checkIn.Purchase.Supplier, checkIn.Purchase.Category, checkIn.Purchase.Description,
            set is { Anonymous: false } ? checkIn.Purchase.RequesterEmail : null,
            checkIn.CompletedAt!.Value, checkIn.Status.ToString(), checkIn.QuestionSetId, checkIn.QuestionSetVersion,
            [.. checkIn.Answers.Select(a => new AnswerItem(a.QuestionId, questions.GetValueOrDefault(a.QuestionId), ValueOf(a)))]);
    }

    private static string? ValueOf(Answer answer) => answer.Skipped ? null : answer.Value;

    private static (ResponseQuery? Query, IResult? Refusal) Read(
        string? purchaseId, string? supplier, string? category, string? from, string? to, string? pageSize, string? continuation, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        // to is exclusive; by default just past now, so a response completed this millisecond is in.
        var until = AdminEndpoints.Parse(to, "to", clock.GetUtcNow().AddMilliseconds(1), errors);
        var since = AdminEndpoints.Parse(from, "from", until - DefaultPeriod, errors);
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > ResponseQuery.MaxPageSize))
        {
            errors["pageSize"] = [$"pageSize must be a whole number from 1 to {ResponseQuery.MaxPageSize}."];
        }

        try
        {
            _ = ResponseQuery.Decode(continuation);
        }
        catch (FormatException e)
        {
            errors["continuation"] = [e.Message];
        }

        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && since > until)
        {
            errors["from"] = ["from must not be after to."];
        }

        if (errors.Count > 0)
        {
            return (null, Results.ValidationProblem(errors, detail: $"Bad parameter: {string.Join(", ", errors.Keys)}."));
        }

        return (new ResponseQuery(since, until) { PurchaseId = purchaseId, Supplier = supplier, Category = category, PageSize = size, Continuation = continuation }, null);
    }
}
