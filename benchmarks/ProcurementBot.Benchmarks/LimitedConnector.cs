using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ProcurementBot.Benchmarks;

/// <summary>
/// A Bot Connector on loopback that enforces Teams' limits, multiplied by one factor: per app
/// 50 × factor calls in any second; per conversation 7, 8, 60 and 1800 × factor in any 1 s, 2 s, 30 s and
/// hour. A call beyond any of them is answered 429 with <c>Retry-After: 1</c> and not counted; every other
/// call counts, including the 0.5% it fails on purpose with 412, 502 or 504 (which must be retried). It
/// counts deliveries by check-in id (from the card's submit data), so lost and doubled check-ins show.
/// Judged on its own clock with its own sliding windows: nothing here is shared with the bot's pacer.
/// </summary>
internal sealed partial class LimitedConnector : IAsyncDisposable
{
    private static readonly (long Window, int Limit)[] ConversationLimits =
        [(Stopwatch.Frequency, 7), (2 * Stopwatch.Frequency, 8), (30 * Stopwatch.Frequency, 60), (3600 * Stopwatch.Frequency, 1800)];

    private readonly WebApplication _app;
    private readonly int _factor;
    private readonly double _faultRate;
    private readonly Lock _lock = new();
    private readonly Queue<long> _appCalls = new();
    private readonly Dictionary<string, Queue<long>> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _delivered = new(StringComparer.Ordinal);
    private readonly Random _random = new(42);
    private long _first, _last, _accepted, _throttled, _faults, _nextId;

    private LimitedConnector(WebApplication app, int factor, double faultRate) => (_app, _factor, _faultRate) = (app, factor, faultRate);

    public string ServiceUrl { get; private set; } = "";

    public int AppPerSecond => 50 * _factor;

    public static async Task<LimitedConnector> StartAsync(int factor, double faultRate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Urls"] = "http://127.0.0.1:0";
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new LimitedConnector(app, factor, faultRate);
        app.MapPost("/v3/conversations/{conversationId}/activities", stub.SendAsync);
        await app.StartAsync();
        stub.ServiceUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return stub;
    }

    /// <summary>Forgets every call and delivery, for the next run.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            (_first, _last, _accepted, _throttled, _faults) = (0, 0, 0, 0, 0);
            _appCalls.Clear();
            _conversations.Clear();
            _delivered.Clear();
        }
    }

    public ConnectorTally Tally()
    {
        lock (_lock)
        {
            var seconds = (_last - _first) / (double)Stopwatch.Frequency;
            return new ConnectorTally(_accepted, _throttled, _faults, _delivered.Count, _delivered.Values.Sum(n => n - 1), seconds);
        }
    }

    private async Task<IResult> SendAsync(string conversationId, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var now = Stopwatch.GetTimestamp();
        int? fault = null;
        lock (_lock)
        {
            if (_first == 0)
            {
                _first = now;
            }

            var calls = _conversations.TryGetValue(conversationId, out var found) ? found : _conversations[conversationId] = new Queue<long>();
            if (!Fits(_appCalls, now, Stopwatch.Frequency, AppPerSecond, Stopwatch.Frequency)
                || ConversationLimits.Any(l => !Fits(calls, now, l.Window, l.Limit * _factor, ConversationLimits[^1].Window)))
            {
                _throttled++;
                request.HttpContext.Response.Headers.RetryAfter = "1";
                return Results.Json(new { error = new { code = "Throttled", message = "Too many requests" } }, statusCode: 429);
            }

            _appCalls.Enqueue(now);
            calls.Enqueue(now);
            _accepted++;
            _last = now;
            if (_random.NextDouble() < _faultRate)
            {
                _faults++;
                fault = new[] { 412, 502, 504 }[_random.Next(3)];
            }
            else if (CheckInId().Match(body) is { Success: true } match)
            {
                _delivered[match.Groups[1].Value] = _delivered.GetValueOrDefault(match.Groups[1].Value) + 1;
            }
        }

        return fault is { } status
            ? Results.StatusCode(status)
            : Results.Json(new { id = $"1:{Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture)}" }, statusCode: 201);
    }

    /// <summary>Drops calls older than <paramref name="keep"/> (the queue's longest window) and says whether one more fits this window.</summary>
    private static bool Fits(Queue<long> calls, long now, long window, int limit, long keep)
    {
        while (calls.Count > 0 && calls.Peek() <= now - keep)
        {
            calls.Dequeue();
        }

        if (calls.Count < limit)
        {
            return true;
        }

        // The limit-th latest call must have left the window.
        return calls.ElementAt(calls.Count - limit) <= now - window;
    }

    [GeneratedRegex("\"checkInId\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex CheckInId();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the connector saw: calls counted against the limits, 429s, injected failures, check-ins delivered and delivered again.</summary>
internal sealed record ConnectorTally(long Accepted, long Throttled, long Faults, int Delivered, int Duplicates, double Seconds);
