using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ProcurementBot.CheckIns;
using ProcurementBot.Storage;

namespace ProcurementBot.Slack;

/// <summary>
/// Events and clicks Slack is told "received" are first stored (<see cref="AcceptAsync"/>, well within Slack's three
/// seconds), then worked from the store off the request, so a crash or a restart loses none: Slack does not retry what
/// it was acknowledged. The store de-duplicates on Slack's ids. Each item is worked under a lease, like check-ins: an
/// instance that dies holding one lets another (or itself, restarted) take it over when the lease ends, so an item may
/// be handled twice within <see cref="SlackInboxOptions.LeaseDuration"/> of a crash (the handlers are idempotent on
/// Slack's ids: an answer is stored once, a reply may be said twice). A handler is stopped before its lease ends, so no
/// two runs of an item overlap. A person's items are handled one at a time in the order received, on whichever
/// instance; different people's in parallel. A failed item is tried again with backoff: for
/// <see cref="SlackInboxOptions.RetryFor"/> when the failure passes (an outage), and set aside after
/// <see cref="SlackInboxOptions.MaxAttempts"/> failures that retrying will not cure.
/// </summary>
public sealed class SlackInbox(
    IProcurementStore store,
    SlackRouter router,
    TimeProvider clock,
    IOptions<SlackInboxOptions> options,
    IOptions<SlackOptions> slack,
    ILogger<SlackInbox> logger) : BackgroundService
{
    private const int MaxIdLength = 128;

    /// <summary>How often an idle instance corrects <see cref="Unfinished"/> from the store even when it counts none open.</summary>
    private static readonly TimeSpan RecountInterval = TimeSpan.FromMinutes(1);

    private readonly SlackInboxOptions _options = options.Value;
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _count = new();
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private long _sequence;
    private int _unfinished;
    private int _adding;
    private int _finishing;
    private long _changes;

    /// <summary>
    /// Items not yet done as this instance knows them: those it stored or found in the store and has not finished. Exact
    /// with one instance (health checks, tests waiting for quiet); with several, corrected from the store when idle.
    /// </summary>
    public int Unfinished
    {
        get
        {
            lock (_count)
            {
                return _unfinished;
            }
        }
    }

    /// <summary>How long a handler may run: a quarter of the lease is left to record how it went before another may take it.</summary>
    private TimeSpan HandlerTimeout => _options.LeaseDuration * 0.75;

    /// <summary>
    /// Stores an item to be handled off the request. <paramref name="slackId"/> is Slack's name for it (an
    /// <c>event_id</c>, a <c>trigger_id</c>), <paramref name="lane"/> whose it is (the Slack user), so their items keep
    /// their order; <paramref name="payload"/> the JSON a handler gets again.
    /// </summary>
    public async Task<SlackAcceptance> AcceptAsync(SlackItemKind kind, string slackId, string lane, string payload, CancellationToken cancellationToken)
    {
        lock (_count)
        {
            if (_unfinished >= _options.Capacity)
            {
                return SlackAcceptance.Refused;
            }

            // Counted before it is written, so a worker finishing it at once never takes the count below what is open.
            _unfinished++;
            _adding++;
            _changes++;
        }

        var stored = false;
        try
        {
            var now = clock.GetUtcNow();
            var prefix = kind == SlackItemKind.Event ? "event:" : "action:";
            var item = new SlackItem(prefix + Bounded(slackId), kind, Bounded(lane), NextSequence(now), payload, now) { NextAttemptAt = now };
            stored = await store.TryAddSlackItemAsync(item, cancellationToken);
            return stored ? SlackAcceptance.Stored : SlackAcceptance.Duplicate;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "A Slack {Kind} could not be stored; Slack is answered 503 and retries it", kind);
            return SlackAcceptance.Refused;
        }
        finally
        {
            lock (_count)
            {
                _adding--;
                if (!stored)
                {
                    _unfinished--;
                }
            }

            if (stored)
            {
                _wake.Writer.TryWrite(true);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!slack.Value.Enabled)
        {
            // Nothing can be stored without Slack (its endpoints answer 503), so the store is not polled either.
            return;
        }

        await Task.Yield();
        var running = new List<Task>();
        try
        {
            var recounted = await RecountAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var claimed = 0;
                if (running.Count < _options.Concurrency)
                {
                    try
                    {
                        var now = clock.GetUtcNow();
                        var items = await store.ClaimSlackItemsAsync(now, _owner, now + _options.LeaseDuration, _options.Concurrency - running.Count, stoppingToken);
                        running.AddRange(items.Where(StartsRunning).Select(item => Task.Run(() => WorkAsync(item), CancellationToken.None)));
                        claimed = items.Count;
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        logger.LogError(ex, "Claiming Slack work failed; trying again in {Interval}", _options.PollInterval);
                    }
                }

                if (claimed > 0 && running.Count < _options.Concurrency)
                {
                    // There may be more: another lane's item, or the next of a lane just finished.
                    continue;
                }

                if (running.Count == 0 && claimed == 0 && (Unfinished > 0 || clock.GetUtcNow() - recounted >= RecountInterval))
                {
                    // Nothing here to do, yet the count may be off: some is due later, or was another instance's (which
                    // may have finished it, or stored more).
                    recounted = await RecountAsync(stoppingToken);
                }

                await WaitAsync(running, stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping while the store was asked for work.
        }
        finally
        {
            // Stopping: nothing new is claimed, and what runs finishes while the host allows (then StopAsync cancels it
            // and it is given back to the store; an item nobody finished is taken over when its lease ends).
            await Task.WhenAll(running);
        }
    }

    /// <summary>Until this instance stores an item, one of its items finishes, or the poll interval passes.</summary>
    private async Task WaitAsync(List<Task> running, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        try
        {
            await Task.WhenAny([.. running, _wake.Reader.WaitToReadAsync(wait.Token).AsTask(), Task.Delay(_options.PollInterval, clock, wait.Token)]);
        }
        finally
        {
            await wait.CancelAsync();
        }

        _wake.Reader.TryRead(out _);
    }

    /// <summary>
    /// False for an item this instance still runs (a handler that did not stop when its time was up, whose lease ended):
    /// it is not run twice at once; the new lease ends too, and the item is taken again after.
    /// </summary>
    private bool StartsRunning(SlackItem item)
    {
        lock (_count)
        {
            return _running.Add(item.Id);
        }
    }

    private async Task WorkAsync(SlackItem item)
    {
        SlackItem next;
        if (item.Lapses >= _options.MaxAttempts)
        {
            logger.LogError("Slack item {ItemId} lost its lease {Lapses} times without finishing (a crash or a hang each time) and is set aside", item.Id, item.Lapses);
            next = SetAside(item, "LeaseLapsed");
        }
        else
        {
            // RunAsync catches whatever the handler throws.
            next = await RunAsync(item);
        }

        lock (_count)
        {
            _finishing++;
        }

        var recorded = false;
        try
        {
            recorded = await store.TryReplaceSlackItemAsync(next, CancellationToken.None) is not null;
            if (!recorded)
            {
                // Its lease ended while it ran and another worker took it: that one finishes it.
                logger.LogWarning("Slack item {ItemId} was taken over by another worker while this one ran", item.Id);
            }
        }
        catch (Exception ex)
        {
            // It stays leased; when the lease ends it is handled again (idempotently).
            logger.LogError(ex, "Slack item {ItemId} was worked but could not be marked so", item.Id);
        }
        finally
        {
            lock (_count)
            {
                _running.Remove(item.Id);
                _finishing--;
                _changes++;
                if (recorded && next.Done)
                {
                    _unfinished = Math.Max(0, _unfinished - 1);
                }
            }
        }
    }

    /// <summary>Runs the item's handler, within <see cref="HandlerTimeout"/>; returns the item as it is to be stored next.</summary>
    private async Task<SlackItem> RunAsync(SlackItem item)
    {
        using var timeout = new CancellationTokenSource(HandlerTimeout, clock);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, timeout.Token);
        try
        {
            await router.HandleAsync(item, run.Token);
            // The payload (what a person wrote) goes; the id stays a day to recognise Slack's retries.
            return Done(item) with { Payload = "" };
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            logger.LogWarning("Shutting down: Slack item {ItemId} was interrupted and goes back to the store", item.Id);
            return item with { LeaseOwner = null, LeaseUntil = null };
        }
        catch (Exception ex)
        {
            var timedOut = timeout.IsCancellationRequested && ex is OperationCanceledException;
            var error = timedOut ? "Timeout" : ex.GetType().Name;
            var failed = item with { Failures = item.Failures + 1, Faults = item.Faults + (timedOut || !IsPassing(ex) ? 1 : 0), LastError = error };
            if (failed.Faults + failed.Lapses >= _options.MaxAttempts || clock.GetUtcNow() - item.ReceivedAt >= _options.RetryFor)
            {
                logger.LogError(ex, "Slack item {ItemId} failed {Failures} times ({Error}) and is set aside; the person's later messages go on", item.Id, failed.Failures, error);
                return SetAside(failed, error);
            }

            var retryIn = RetryDelay(failed.Failures);
            logger.LogWarning(ex, "Slack item {ItemId} failed ({Error}, {Failures} times); trying again in {RetryIn}", item.Id, error, failed.Failures, retryIn);
            return failed with { NextAttemptAt = clock.GetUtcNow() + retryIn, LeaseOwner = null, LeaseUntil = null };
        }
    }

    /// <summary>Done without being handled; the payload stays (until the store forgets the item) to be looked into.</summary>
    private SlackItem SetAside(SlackItem item, string error) => Done(item) with { SetAside = true, LastError = error };

    private SlackItem Done(SlackItem item) => item with { Done = true, DoneAt = clock.GetUtcNow(), LeaseOwner = null, LeaseUntil = null };

    /// <summary>
    /// Failures that an outage explains, so trying again later may succeed: the network, timeouts, the store busy or
    /// unavailable, Slack's 5xx and rate limits, a send the channel may take later. Anything else (Slack refusing the
    /// call, a payload that cannot be read, a bug) comes from the item itself and counts as a fault.
    /// </summary>
    internal static bool IsPassing(Exception ex) => ex switch
    {
        SlackApiException slackError => slackError.Status is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError
            || slackError.Error is "ratelimited" or "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout",
        DeliveryException delivery => !delivery.Permanent,
        HttpRequestException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException => true,
        InvalidDataException => false,
        IOException => true,
        _ => StoreFailures.IsTransient(ex),
    };

    /// <summary>5 s, 30 s, 3 min, then every 15 min.</summary>
    internal static TimeSpan RetryDelay(int failures) => TimeSpan.FromSeconds(Math.Min(900, 5 * Math.Pow(6, failures - 1)));

    /// <summary>
    /// Sets <see cref="Unfinished"/> from the store, unless an item is being stored or finished meanwhile (the count
    /// could miss it); returns when it was tried.
    /// </summary>
    private async Task<DateTimeOffset> RecountAsync(CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        long changes;
        lock (_count)
        {
            if (_adding > 0 || _finishing > 0)
            {
                return now;
            }

            changes = _changes;
        }

        try
        {
            var open = await store.CountUnfinishedSlackItemsAsync(stoppingToken);
            lock (_count)
            {
                if (_adding == 0 && _finishing == 0 && _changes == changes)
                {
                    _unfinished = open;
                }
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Counting the open Slack items failed");
        }

        return now;
    }

    /// <summary>Strictly increasing on this instance, and about the time in microseconds, so instances roughly agree.</summary>
    private long NextSequence(DateTimeOffset now)
    {
        var micros = now.ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            var last = Interlocked.Read(ref _sequence);
            var next = Math.Max(last + 1, micros);
            if (Interlocked.CompareExchange(ref _sequence, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>Slack's ids are short; a signed payload could still carry a long one, which is hashed to fit any store's ids.</summary>
    private static string Bounded(string id) =>
        id.Length <= MaxIdLength ? id : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Asks the loop to stop and waits for what runs, until the host's shutdown timeout.
            await base.StopAsync(cancellationToken);
        }
        finally
        {
            // Whatever still runs when the host stops waiting is interrupted and given back to the store. (Once the
            // loop has ended, nothing runs: it ends only after what it started.)
            if (ExecuteTask is { IsCompleted: false })
            {
                await _abort.CancelAsync();
            }
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }
}
