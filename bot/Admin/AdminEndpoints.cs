using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ProcurementBot.Http;
using ProcurementBot.Purchases;
using ProcurementBot.Storage;

namespace ProcurementBot.Admin;

public static class AdminEndpoints
{
    private const int DefaultMax = 100;
    private const int MaxMax = 1000;
    private static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    /// <summary>The <c>/api/admin</c> group, every route behind <see cref="AdminAuthentication"/>; the audit log and erasure on it.</summary>
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin");
        admin.AddEndpointFilter<AdminAuthentication>();

        admin.MapGet("/audit", GetAuditAsync)
            .WithName("GetAdminAudit")
            .WithSummary("Admin changes, newest first: from, to (ISO 8601; default the last 30 days), max (default 100, at most 1000).");
        admin.MapDelete("/people/{email}", ErasePersonAsync)
            .WithName("ErasePerson")
            .WithSummary("Erases everything stored about one person; their escalations stay for procurement, anonymised.");
        return admin;
    }

    private static async Task<IResult> GetAuditAsync(
        string? from, string? to, string? max, IProcurementStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var until = Parse(to, "to", clock.GetUtcNow(), errors);
        var since = Parse(from, "from", until - DefaultPeriod, errors);
        var limit = DefaultMax;
        if (max is not null && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            errors["max"] = [$"max must be a whole number from 1 to {MaxMax}."];
        }

        if (errors.Count == 0 && since > until)
        {
            errors["from"] = ["from must not be after to."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: $"Bad parameter: {string.Join(", ", errors.Keys)}.");
        }

        var entries = await store.GetAuditEntriesAsync(since, until, Math.Min(limit, MaxMax), cancellationToken);
        return Results.Ok(new { from = since, to = until, entries });
    }

    internal static DateTimeOffset Parse(string? value, string name, DateTimeOffset fallback, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return fallback;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            // Periods are subtracted from and added to it: a date at the calendar's edge would overflow there.
            if (InputDates.InRange(parsed))
            {
                return parsed;
            }

            errors[name] = [InputDates.OutOfRange(name)];
            return fallback;
        }

        errors[name] = [$"{name} must be an ISO 8601 date or time, e.g. 2026-03-01T00:00:00Z."];
        return fallback;
    }

    private static async Task<IResult> ErasePersonAsync(
        string email, HttpContext http, IProcurementStore store, AdminAudit audit, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var address = email.Trim();
        if (!PurchaseIntake.IsEmail(address))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Not an email address."] });
        }

        // The audit names the person only by a hash: erasing them must not leave their address in the log.
        var target = $"person:sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address.ToLowerInvariant())))}";
        var actor = http.GetAdminActor();
        var counts = await store.ErasePersonAsync(address, cancellationToken);
        await audit.RecordAsync(actor, "erase", target,
            string.Create(CultureInfo.InvariantCulture, $"people {counts.People}, check-ins {counts.CheckIns}, escalations anonymised {counts.EscalationsAnonymised}"),
            cancellationToken);
        loggers.CreateLogger(typeof(AdminEndpoints)).LogInformation(
            "{ActorId} erased {Target}: {People} people, {CheckIns} check-ins, {Escalations} escalations anonymised",
            actor.Id, target, counts.People, counts.CheckIns, counts.EscalationsAnonymised);
        return Results.Ok(new
        {
            people = counts.People,
            checkIns = counts.CheckIns,
            escalationsAnonymised = counts.EscalationsAnonymised,
            note = "Escalations raised from this person's check-ins are kept for procurement, anonymised: their name, email and chat id are removed; the purchase, answers and comment stay.",
        });
    }
}
