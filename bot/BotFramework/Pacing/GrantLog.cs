namespace ProcurementBot.BotFramework.Pacing;

/// <summary>
/// The times (UTC ticks) of the latest calls granted to one conversation or to the app, oldest first: a
/// sliding-window log. It keeps at most the largest window limit of entries (an older call can never
/// decide a window), and drops those older than the longest window, so it holds only what can still matter.
/// </summary>
internal sealed class GrantLog(int capacity)
{
    private long[] _times = new long[Math.Min(capacity, 4)];
    private int _start;

    public int Count { get; private set; }

    public long Newest => _times[(_start + Count - 1) % _times.Length];

    /// <summary>
    /// The earliest time (ticks) a call fits every window: for a window of <c>Limit</c> calls, the
    /// <c>Limit</c>-th latest grant must have left it. Each window costs one look-up, not a scan.
    /// </summary>
    public long NextAllowed(IReadOnlyList<PacingWindow> windows, long margin)
    {
        var next = long.MinValue;
        foreach (var window in windows)
        {
            if (Count >= window.Limit)
            {
                next = Math.Max(next, FromNewest(window.Limit - 1) + window.Length.Ticks + margin);
            }
        }

        return next;
    }

    public void Add(long at)
    {
        if (Count == capacity)
        {
            _start = (_start + 1) % _times.Length;
            Count--;
        }
        else if (Count == _times.Length)
        {
            Grow();
        }

        _times[(_start + Count) % _times.Length] = at;
        Count++;
    }

    /// <summary>Forgets grants at or before <paramref name="before"/>.</summary>
    public void DropUntil(long before)
    {
        while (Count > 0 && _times[_start] <= before)
        {
            _start = (_start + 1) % _times.Length;
            Count--;
        }
    }

    private long FromNewest(int index) => _times[(_start + Count - 1 - index) % _times.Length];

    private void Grow()
    {
        var grown = new long[Math.Min(capacity, _times.Length * 2)];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = _times[(_start + i) % _times.Length];
        }

        (_times, _start) = (grown, 0);
    }
}
