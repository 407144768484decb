using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ProcurementBot.Storage;

namespace ProcurementBot.Slack;

/// <summary>What became of an event or click offered to the <see cref="SlackInbox"/>.</summary>
public enum SlackAcceptance
{
    /// <summary>Stored: it will be handled, here or by another instance, even after a crash. Answer 200.</summary>
    Stored,

    /// <summary>Stored before (Slack's retry, a duplicate delivery): nothing more to do. Answer 200.</summary>
    Duplicate,

    /// <summary>Not stored (too much unfinished work, or the store failed): answer 503 so Slack retries it later.</summary>
    Refused,
}

/// <summary>
/// Events and clicks Slack is told "received" are first stored (<see cref="AcceptAsync"/>, well within Slack's three
/// seconds), then worked from the store off the request, so a crash or a restart loses none: Slack does not retry what
/// it was acknowledged. The store de-duplicates on Slack's ids. Each item is worked under a lease, like check-ins: an
/// instance that dies holding one lets another (or itself, restarted) take it over when the lease ends, so an item may
/// be handled twice within <see cref="SlackInboxOptions.LeaseDuration"/> of a crash (the handlers are idempotent on
/// Slack's ids: an answer is stored once, a reply may be said twice). A person's items are handled one at a time in the
/// order received, on whichever instance; different people's in parallel. A failed item is tried again with backoff,
/// and set aside after <see cref="SlackInboxOptions.MaxAttempts"/>.
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

    private readonly SlackInboxOptions _options = options.Value;
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _count = new();
    private long _sequence;
    private int _unfinished;
    private int _adding;
    private long _accepted;

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
            _accepted++;
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
        await RecountAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            if (running.Count < _options.Concurrency)
            {
                try
                {
                    var now = clock.GetUtcNow();
                    var items = await store.ClaimSlackItemsAsync(now, _owner, now + _options.LeaseDuration, _options.Concurrency - running.Count, stoppingToken);
                    running.AddRange(items.Select(item => Task.Run(() => WorkAsync(item), CancellationToken.None)));
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

            if (running.Count == 0 && claimed == 0 && Unfinished > 0)
            {
                // Nothing here to do, yet some is open: due later, or another instance's (which may have finished it).
                await RecountAsync(stoppingToken);
            }

            await WaitAsync(running, stoppingToken);
            running.RemoveAll(t => t.IsCompleted);
        }

        // Stopping: nothing new is claimed, and what runs finishes while the host allows (then it is cancelled and
        // given back to the store; an item nobody finished is taken over when its lease ends).
        await Task.WhenAll(running);
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

    private async Task WorkAsync(SlackItem item)
    {
        SlackItem next;
        try
        {
            await router.HandleAsync(item, _abort.Token);
            next = Finished(item);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            logger.LogWarning("Shutting down: Slack item {ItemId} was interrupted and goes back to the store", item.Id);
            next = item with { LeaseOwner = null, LeaseUntil = null };
        }
        catch (Exception ex)
        {
            var attempts = item.Attempts + 1;
            if (attempts >= _options.MaxAttempts)
            {
                logger.LogError(ex, "Slack item {ItemId} failed {Attempts} times and is set aside; the person's later messages go on", item.Id, attempts);
                next = Finished(item) with { Attempts = attempts, SetAside = true, LastError = ex.GetType().Name };
            }
            else
            {
                var retryIn = RetryDelay(attempts);
                logger.LogWarning(ex, "Slack item {ItemId} failed (attempt {Attempts}); trying again in {RetryIn}", item.Id, attempts, retryIn);
                next = item with
                {
                    Attempts = attempts,
                    NextAttemptAt = clock.GetUtcNow() + retryIn,
                    LeaseOwner = null,
                    LeaseUntil = null,
                    LastError = ex.GetType().Name,
                };
            }
        }

        try
        {
            if (await store.TryReplaceSlackItemAsync(next, CancellationToken.None) is null)
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

        if (next.Done)
        {
            lock (_count)
            {
                _unfinished = Math.Max(0, _unfinished - 1);
            }
        }
    }

    private SlackItem Finished(SlackItem item) =>
        // The payload (what a person wrote) goes; the id stays a day to recognise Slack's retries.
        item with { Done = true, DoneAt = clock.GetUtcNow(), Payload = "", LeaseOwner = null, LeaseUntil = null };

    /// <summary>5 s, 30 s, 3 min, then every 15 min.</summary>
    internal static TimeSpan RetryDelay(int attempts) => TimeSpan.FromSeconds(Math.Min(900, 5 * Math.Pow(6, attempts - 1)));

    /// <summary>Sets <see cref="Unfinished"/> from the store, unless an item is being stored meanwhile (the count could miss it).</summary>
    private async Task RecountAsync(CancellationToken stoppingToken)
    {
        long accepted;
        lock (_count)
        {
            if (_adding > 0)
            {
                return;
            }

            accepted = _accepted;
        }

        try
        {
            var open = await store.CountUnfinishedSlackItemsAsync(stoppingToken);
            lock (_count)
            {
                if (_adding == 0 && _accepted == accepted)
                {
                    _unfinished = open;
                }
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Counting the open Slack items failed");
        }
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
            await base.StopAsync(cancellationToken);
        }
        finally
        {
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
