using System.Threading.Channels;

namespace ProcurementBot.Slack;

/// <summary>
/// Work Slack was already answered for (events, button clicks), done off the request so Slack hears back within its
/// three seconds. Bounded: when full, <see cref="TryEnqueue"/> says no and the endpoint answers 503, so Slack retries
/// later instead of the bot queueing without limit. Work with the same key (a person) runs in order on one lane, so
/// "4" then "yes" are answered in the order typed; different people run in parallel. On shutdown no new work is
/// taken and queued work finishes while the host allows; what is left then is logged and dropped (it was acked).
/// </summary>
public sealed class SlackWorkQueue(ILogger<SlackWorkQueue> logger) : BackgroundService
{
    public const int Lanes = 8;
    public const int CapacityPerLane = 256;

    private sealed record WorkItem(string What, Func<CancellationToken, Task> Work);

    private readonly Channel<WorkItem>[] _lanes = [.. Enumerable.Range(0, Lanes).Select(_ => Channel.CreateBounded<WorkItem>(
        new BoundedChannelOptions(CapacityPerLane) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }))];

    private readonly CancellationTokenSource _abort = new();
    private int _unfinished;

    /// <summary>Work queued or running; 0 when everything acknowledged so far is done (health checks, tests).</summary>
    public int Unfinished => Volatile.Read(ref _unfinished);

    /// <summary>Queues work; false when the queue is full or shutting down.</summary>
    public bool TryEnqueue(string key, string what, Func<CancellationToken, Task> work)
    {
        Interlocked.Increment(ref _unfinished);
        if (_lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % Lanes)].Writer.TryWrite(new WorkItem(what, work)))
        {
            return true;
        }

        Interlocked.Decrement(ref _unfinished);
        return false;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(_lanes.Select(RunLaneAsync));

    private async Task RunLaneAsync(Channel<WorkItem> lane)
    {
        await Task.Yield();
        await foreach (var item in lane.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (_abort.IsCancellationRequested)
            {
                logger.LogWarning("Shutting down: dropped Slack work {What} that had been acknowledged", item.What);
                Interlocked.Decrement(ref _unfinished);
                continue;
            }

            try
            {
                await item.Work(_abort.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_abort.IsCancellationRequested)
            {
                logger.LogError(ex, "Slack work {What} failed", item.What);
            }
            catch (OperationCanceledException)
            {
                logger.LogWarning("Shutting down: Slack work {What} was cancelled", item.What);
            }
            finally
            {
                Interlocked.Decrement(ref _unfinished);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        try
        {
            // Drain what was acknowledged, as long as the host's shutdown timeout allows.
            await (ExecuteTask ?? Task.CompletedTask).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync();
        }

        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }
}

/// <summary>
/// The <c>event_id</c>s seen lately, to ignore Slack's retries and duplicates: bounded to the most recent
/// <see cref="Capacity"/>. Per instance: with several instances behind a load balancer, a retry that reaches another
/// instance is handled again. That is safe for answers (each turn carries the event id, and a check-in never applies
/// the same one twice); at worst a reply such as "help" is said twice.
/// </summary>
public sealed class SlackEventDeduplicator
{
    public const int Capacity = 10_000;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>True the first time an id is seen (and remembers it).</summary>
    public bool TryFirstSeen(string eventId)
    {
        lock (_lock)
        {
            if (!_seen.Add(eventId))
            {
                return false;
            }

            _order.Enqueue(eventId);
            if (_order.Count > Capacity)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }

    /// <summary>Forgets an id whose work could not be queued, so Slack's retry is handled.</summary>
    public void Forget(string eventId)
    {
        lock (_lock)
        {
            _seen.Remove(eventId);
        }
    }
}
