using System.Globalization;
using ProcurementBot.CheckIns;
using ProcurementBot.Storage;

namespace ProcurementBot.Admin;

/// <summary>Check-ins the sender set aside after failing to deliver them: listed with their last error, and sent again on request.</summary>
public static class CheckInEndpoints
{
    private const int DefaultMax = 100;
    private const int MaxMax = 1000;

    public static RouteGroupBuilder MapCheckIns(this RouteGroupBuilder admin)
    {
        admin.MapGet("/check-ins/failed", ListFailedAsync)
            .WithName("GetFailedCheckIns")
            .WithSummary("Check-ins set aside after failed sends, most recently due first, with their attempts and last error: max (default 100, at most 1000).");
        admin.MapPost("/check-ins/{purchaseId}/retry", RetryAsync)
            .WithName("RetryCheckIn")
            .WithSummary("Schedules a failed check-in to be sent again now, with a fresh count of attempts.");
        return admin;
    }

    private sealed record FailedItem(
        string PurchaseId, string RequesterEmail, string Supplier, string Category, DateTimeOffset DueAt, int SendAttempts, string? LastError);

    private static async Task<IResult> ListFailedAsync(string? max, IProcurementStore store, CancellationToken cancellationToken)
    {
        var limit = DefaultMax;
        if (max is not null && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxMax))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["max"] = [$"max must be a whole number from 1 to {MaxMax}."] }, detail: "Bad parameter: max.");
        }

        var failed = await store.GetFailedCheckInsAsync(limit, cancellationToken);
        return Results.Ok(new
        {
            items = failed.Select(c => new FailedItem(c.Id, c.Purchase.RequesterEmail, c.Purchase.Supplier, c.Purchase.Category, c.DueAt, c.SendAttempts, c.LastError)),
        });
    }

    private static async Task<IResult> RetryAsync(
        string purchaseId, HttpContext http, IProcurementStore store, IAdminChangeLog changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var checkIn = await store.GetCheckInAsync(purchaseId, cancellationToken);
            if (checkIn is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such check-in", detail: $"No check-in for purchase '{purchaseId}'.");
            }

            if (checkIn.Status != CheckInStatus.Failed)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not a failed check-in",
                    detail: $"The check-in for purchase '{purchaseId}' is {checkIn.Status}; only a failed one can be retried.");
            }

            var retried = checkIn with { Status = CheckInStatus.Scheduled, DueAt = clock.GetUtcNow(), SendAttempts = 0, HeldBack = null };
            if (await store.TryReplaceCheckInAsync(retried, cancellationToken) is { } saved)
            {
                await changes.RecordAsync(http, "check-in.retry", purchaseId, $"after {checkIn.SendAttempts} attempts: {checkIn.LastError}", cancellationToken);
                return Results.Ok(new { purchaseId, status = saved.Status.ToString(), dueAt = saved.DueAt });
            }
        }

        return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Changed meanwhile", detail: "The check-in kept changing; try again.");
    }
}
