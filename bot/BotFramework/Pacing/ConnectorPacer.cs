using Microsoft.Extensions.Options;

namespace ProcurementBot.BotFramework.Pacing;

/// <summary>
/// Paces Bot Connector calls to the app's limit and to each conversation's windows (<see cref="PacingOptions"/>),
/// exactly: a sliding-window log per conversation and one for the app, so no span of any window's length ever
/// holds more calls than its limit. Callers wait in one queue in arrival order; a caller whose conversation is
/// full lets those behind it pass, so a busy conversation never holds up the others, and callers of one
/// conversation go in the order they came. Waits run on the app's clock. State is kept only for conversations
/// that called within the longest window (one hour by default), so memory is bounded by the app limit times
/// that window, whatever the number of conversations.
/// </summary>
internal sealed class ConnectorPacer : IDisposable
{
    private static readonly TimeSpan AppWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _clock;
    private readonly PacingOptions _options;
    private readonly IReadOnlyList<PacingWindow> _conversationWindows;
    private readonly int _conversationCapacity;
    private readonly long _margin;
    private readonly long _longest;
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly GrantLog _app;
    private readonly ITimer _timer;
    private PacingWindow[] _appWindows;
    private long _appHeldUntil = long.MinValue;
    private long _timerAt = long.MaxValue;
    private long _nextSweep;

    public ConnectorPacer(TimeProvider clock, IOptions<PacingOptions> options)
    {
        _clock = clock;
        _options = options.Value;
        _conversationWindows = _options.ConversationWindows;
        _conversationCapacity = _conversationWindows.Max(w => w.Limit);
        _margin = _options.Margin.Ticks;
        _longest = _conversationWindows.Max(w => w.Length.Ticks) + _margin;
        _app = new GrantLog(_options.AppPerSecond);
        _appWindows = [new PacingWindow(AppWindow, _options.AppPerSecond)];
        _timer = clock.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>This instance's share of the app limit, per second.</summary>
    public int AppShare => Volatile.Read(ref _appWindows)[0].Limit;

    /// <summary>Callers waiting for their turn.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Conversations the pacer remembers (those that called within the longest window, or are waiting or held).</summary>
    public int TrackedConversations
    {
        get
        {
            lock (_lock)
            {
                return _lanes.Count;
            }
        }
    }

    /// <summary>
    /// Completes when a call to <paramref name="conversation"/> (null: a call outside any conversation, such as
    /// creating one) fits the app's and the conversation's windows; the call is counted from that moment.
    /// </summary>
    public Task WaitTurnAsync(string? conversation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            var now = Now();
            SweepIfDue(now);
            var lane = conversation is null ? null : LaneFor(conversation);
            if (_queue.Count == 0 && Allowed(lane) <= now)
            {
                Grant(lane, now);
                return Task.CompletedTask;
            }

            waiter = new Waiter(lane);
            if (lane is not null)
            {
                lane.Waiting++;
            }

            waiter.Node = _queue.AddLast(waiter);
            Pump(now);
        }

        if (!waiter.Done.Task.IsCompleted && cancellationToken.CanBeCanceled)
        {
            waiter.Cancellation = cancellationToken.Register(() => Cancel(waiter, cancellationToken));
            if (waiter.Done.Task.IsCompleted)
            {
                // Granted while registering: the pump could not unregister what was not there yet.
                waiter.Cancellation.Unregister();
            }
        }

        return waiter.Done.Task;
    }

    /// <summary>
    /// The connector answered 429 with <paramref name="wait"/> to wait: nothing more goes to that conversation
    /// (or, for a call outside any conversation, to the app) before then, however many callers are waiting.
    /// </summary>
    public void HoldBack(string? conversation, TimeSpan wait)
    {
        lock (_lock)
        {
            var now = Now();
            var until = now + Math.Max(0, wait.Ticks);
            if (conversation is null)
            {
                _appHeldUntil = Math.Max(_appHeldUntil, until);
            }
            else
            {
                var lane = LaneFor(conversation);
                lane.HeldUntil = Math.Max(lane.HeldUntil, until);
            }

            Pump(now);
        }
    }

    /// <summary>
    /// This instance is number <paramref name="rank"/> (from 0) of <paramref name="instances"/> live ones: its share
    /// of the app limit is an equal part, the remainder going to the first ranks, so the shares add up to the
    /// limit exactly (50/s over three instances: 17, 17, 16). Every instance gets at least one call per second.
    /// </summary>
    public void SetInstances(int rank, int instances)
    {
        var limit = _options.AppPerSecond;
        var count = Math.Max(1, instances);
        var share = Math.Max(1, (limit / count) + (rank < limit % count ? 1 : 0));
        lock (_lock)
        {
            if (share != _appWindows[0].Limit)
            {
                Volatile.Write(ref _appWindows, [new PacingWindow(AppWindow, share)]);
                Pump(Now());
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private long Now() => _clock.GetUtcNow().UtcTicks;

    private Lane LaneFor(string conversation)
    {
        if (!_lanes.TryGetValue(conversation, out var lane))
        {
            _lanes[conversation] = lane = new Lane(new GrantLog(_conversationCapacity));
        }

        return lane;
    }

    private long AppAllowed() => Math.Max(_app.NextAllowed(_appWindows, _margin), _appHeldUntil);

    private long LaneAllowed(Lane lane) => Math.Max(lane.Log.NextAllowed(_conversationWindows, _margin), lane.HeldUntil);

    private long Allowed(Lane? lane) => lane is null ? AppAllowed() : Math.Max(AppAllowed(), LaneAllowed(lane));

    private void Grant(Lane? lane, long now)
    {
        _app.Add(now);
        lane?.Log.Add(now);
    }

    /// <summary>Lets through every waiter that fits now, in queue order, and sets the timer for the next one that will.</summary>
    private void Pump(long now)
    {
        var appAllowed = AppAllowed();
        var laneWake = long.MaxValue;
        for (var node = _queue.First; node is not null;)
        {
            var next = node.Next;
            var waiter = node.Value;
            var laneAllowed = waiter.Lane is null ? long.MinValue : LaneAllowed(waiter.Lane);
            if (appAllowed <= now && laneAllowed <= now)
            {
                Grant(waiter.Lane, now);
                Remove(waiter);
                waiter.Cancellation.Unregister();
                waiter.Done.TrySetResult();
                appAllowed = AppAllowed();
            }
            else
            {
                laneWake = Math.Min(laneWake, Math.Max(laneAllowed, now));
            }

            node = next;
        }

        var wake = _queue.Count == 0 ? long.MaxValue : Math.Max(appAllowed, laneWake);
        if (wake != _timerAt)
        {
            _timerAt = wake;
            _timer.Change(wake == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(1, wake - now)), Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            _timerAt = long.MaxValue;
            Pump(Now());
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            Remove(waiter);
            Pump(Now());
        }

        waiter.Done.TrySetCanceled(cancellationToken);
    }

    private void Remove(Waiter waiter)
    {
        _queue.Remove(waiter.Node!);
        if (waiter.Lane is { } lane)
        {
            lane.Waiting--;
        }
    }

    /// <summary>Forgets conversations with no call within the longest window, nobody waiting and no hold.</summary>
    private void SweepIfDue(long now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + SweepEvery.Ticks;
        List<string>? idle = null;
        foreach (var (conversation, lane) in _lanes)
        {
            lane.Log.DropUntil(now - _longest);
            if (lane.Log.Count == 0 && lane.Waiting == 0 && lane.HeldUntil <= now)
            {
                (idle ??= []).Add(conversation);
            }
        }

        foreach (var conversation in idle ?? [])
        {
            _lanes.Remove(conversation);
        }
    }

    private sealed class Lane(GrantLog log)
    {
        public GrantLog Log { get; } = log;

        public long HeldUntil { get; set; } = long.MinValue;

        public int Waiting { get; set; }
    }

    private sealed class Waiter(Lane? lane)
    {
        public Lane? Lane { get; } = lane;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
