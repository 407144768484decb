using System.Net;

namespace ProcurementBot.BotFramework;

/// <summary>
/// Retries Bot Connector calls the way Teams asks: 412, 429, 502, 503 and 504 (and 500 and network
/// failures), waiting as long as <c>Retry-After</c> says, else an exponential back-off with jitter so
/// many instances do not retry in step. Each attempt has its own timeout. Waits run on the app's clock.
/// </summary>
internal sealed class ConnectorRetryHandler(TimeProvider clock) : DelegatingHandler
{
    public const int MaxRetries = 4;

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage? response = null;
            using (var timeout = new CancellationTokenSource(AttemptTimeout, clock))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    response = await base.SendAsync(request, linked.Token);
                }
                catch (Exception ex) when (attempt < MaxRetries && !cancellationToken.IsCancellationRequested
                    && ex is HttpRequestException or OperationCanceledException)
                {
                    // A network failure or an attempt that timed out: worth another try.
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"The Bot Connector did not answer within {AttemptTimeout.TotalSeconds:0} s.", ex);
                }
            }

            if (response is not null && (attempt >= MaxRetries || !ShouldRetry(response.StatusCode)))
            {
                return response;
            }

            var delay = RetryAfter(response, clock) ?? Backoff(attempt);
            response?.Dispose();
            await Task.Delay(delay, clock, cancellationToken);
        }
    }

    private static bool ShouldRetry(HttpStatusCode status) => status is HttpStatusCode.PreconditionFailed or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>What <c>Retry-After</c> asks for, in seconds or as an HTTP date; at most 30 s, null without the header.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider clock)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } at ? at - clock.GetUtcNow() : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, MaxDelay.Ticks)) : null;
    }

    /// <summary>0.5 s, 1 s, 2 s, 4 s..., each between 80% and 120% of that, at most 30 s.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, FirstDelay.TotalMilliseconds * Math.Pow(2, attempt) * (0.8 + (0.4 * Random.Shared.NextDouble()))));
}
