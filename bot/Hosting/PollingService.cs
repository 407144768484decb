namespace ProcurementBot.Hosting;

/// <summary>
/// Runs a unit of background work on every instance at a fixed interval on the app's clock, again at
/// once while full batches come back (there is more to do), and keeps going after a failed round.
/// </summary>
internal abstract class PollingService(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected abstract bool Enabled { get; }

    protected abstract TimeSpan Interval { get; }

    protected abstract int BatchSize { get; }

    /// <summary>Does what is due now; returns how many items it handled.</summary>
    protected abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            do
            {
                try
                {
                    while (await RunOnceAsync(stoppingToken) >= BatchSize)
                    {
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "{Work} failed; trying again in {Interval}", GetType().Name, Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            await DrainAsync();
        }
    }

    /// <summary>Until work a round started and left running has ended; awaited when the service stops.</summary>
    protected virtual Task DrainAsync() => Task.CompletedTask;
}
