using System.Collections.Concurrent;

namespace ProcurementBot.Slack;

/// <summary>
/// Paces Web API calls to the tiers above with token buckets on the app's clock: a call that would exceed its
/// method's rate (or, for <c>chat.postMessage</c>, its channel's) waits for its turn. A 429 pauses the method for
/// its Retry-After. Per instance: several instances share Slack's limits, and their 429s are honoured too.
/// </summary>
public sealed class SlackPacer(TimeProvider clock)
{
    private const int MaxIdleBuckets = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public async Task WaitTurnAsync(string method, string? channel, CancellationToken cancellationToken)
    {
        var waits = new List<TimeSpan>(2);
        if (SlackRateLimits.For(method) is { } limit)
        {
            waits.Add(Take(method, limit));
        }

        if (method == "chat.postMessage" && !string.IsNullOrEmpty(channel))
        {
            waits.Add(Take($"{method}#{channel}", SlackRateLimits.PostMessagePerChannel));
        }

        var wait = waits.Count == 0 ? TimeSpan.Zero : waits.Max();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }
    }

    /// <summary>Slack said 429: no call of this method until <paramref name="retryAfter"/> has passed.</summary>
    public void Pause(string method, TimeSpan retryAfter)
    {
        var bucket = _buckets.GetOrAdd(method, _ => new Bucket(SlackRateLimits.For(method) ?? SlackRateLimits.Tier4, clock.GetUtcNow()));
        bucket.PauseUntil(clock.GetUtcNow() + retryAfter);
    }

    private TimeSpan Take(string key, SlackRateLimits.Limit limit)
    {
        var now = clock.GetUtcNow();
        if (_buckets.Count > MaxIdleBuckets)
        {
            // DM channels come and go: forget buckets nobody used for a minute (a full bucket is the default anyway).
            foreach (var (idleKey, idle) in _buckets.Where(b => now - b.Value.LastUsed > TimeSpan.FromMinutes(1)).ToList())
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(idleKey, idle));
            }
        }

        return _buckets.GetOrAdd(key, _ => new Bucket(limit, now)).Reserve(now);
    }

    /// <summary>A token bucket that may go into debt: each reservation waits until its token has been earned.</summary>
    private sealed class Bucket(SlackRateLimits.Limit limit, DateTimeOffset now)
    {
        private readonly Lock _lock = new();
        private readonly double _perSecond = limit.PerMinute / 60.0;
        private double _tokens = limit.Burst;
        private DateTimeOffset _at = now;

        public DateTimeOffset LastUsed { get; private set; } = now;

        public TimeSpan Reserve(DateTimeOffset now)
        {
            lock (_lock)
            {
                if (now > _at)
                {
                    _tokens = Math.Min(limit.Burst, _tokens + (now - _at).TotalSeconds * _perSecond);
                    _at = now;
                }

                _tokens -= 1;
                LastUsed = now;
                var owed = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
                return (_at - now) + owed;
            }
        }

        public void PauseUntil(DateTimeOffset until)
        {
            lock (_lock)
            {
                if (until > _at)
                {
                    // Nothing is earned while paused; afterwards one call goes at once and the rest are paced.
                    _at = until;
                    _tokens = Math.Min(_tokens, 1);
                }
            }
        }
    }
}
