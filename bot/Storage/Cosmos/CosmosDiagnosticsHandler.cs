using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Azure.Cosmos;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// Logs every Cosmos DB request that took longer than the threshold or was answered 429 (rate limited), with
/// its status, request charge, activity id and the SDK's diagnostics. Runs as a custom handler, i.e. outside
/// the SDK's retry handler: it sees the final answer after the SDK's own 429 retries, so a 429 logged here is
/// one the retries did not absorb, and the time measured includes the retries' waits (the diagnostics show each
/// attempt). Only the request's method and path are logged, never headers (the authorization signature) or keys,
/// and document ids are masked in both: a person's document is named by their email.
/// </summary>
public sealed partial class CosmosDiagnosticsHandler(ILogger<CosmosDiagnosticsHandler> logger, TimeSpan slowRequestThreshold) : RequestHandler
{
    public TimeSpan SlowRequestThreshold { get; } = slowRequestThreshold;

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var throttled = response.StatusCode == HttpStatusCode.TooManyRequests;
        if (!throttled && elapsed < SlowRequestThreshold)
        {
            return response;
        }

        var method = request.Method?.Method ?? "?";
        var path = Masked(request.RequestUri?.OriginalString ?? "?");
        var charge = response.Headers?.RequestCharge ?? 0;
        var activityId = response.Headers?.ActivityId;
        var diagnostics = response.Diagnostics?.ToString() is { } raw ? Masked(raw) : null;
        if (throttled)
        {
            LogThrottled(logger, method, path, elapsed.TotalMilliseconds, charge, activityId, response.Headers?["x-ms-retry-after-ms"], diagnostics);
        }
        else
        {
            LogSlow(logger, method, path, (int)response.StatusCode, elapsed.TotalMilliseconds, SlowRequestThreshold.TotalMilliseconds, charge, activityId, diagnostics);
        }

        return response;
    }

    /// <summary>The text with every document id in a resource path (<c>/docs/{id}</c>, also URL-encoded in the SDK's diagnostics) replaced.</summary>
    internal static string Masked(string text) => DocumentId().Replace(text, "/docs/{id}");

    // An id ends at the next path separator, query, quote, whitespace or escaped quote of the diagnostics JSON.
    [GeneratedRegex(@"/docs/[^/?""\\\s]+", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentId();

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning,
        Message = "Cosmos DB request {Method} {Path} throttled (429) after the SDK's retries: {ElapsedMs:F0} ms, {RequestCharge} RU, activity {ActivityId}, retry after {RetryAfterMs} ms. Diagnostics: {Diagnostics}")]
    private static partial void LogThrottled(ILogger logger, string method, string path, double elapsedMs, double requestCharge, string? activityId, string? retryAfterMs, string? diagnostics);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning,
        Message = "Cosmos DB request {Method} {Path} slow: {StatusCode} in {ElapsedMs:F0} ms (threshold {ThresholdMs:F0} ms), {RequestCharge} RU, activity {ActivityId}. Diagnostics: {Diagnostics}")]
    private static partial void LogSlow(ILogger logger, string method, string path, int statusCode, double elapsedMs, double thresholdMs, double requestCharge, string? activityId, string? diagnostics);
}
