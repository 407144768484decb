namespace ProcurementBot.Tests.Support;

public static class AllAtOnce
{
    /// <summary>
    /// Starts every call on its own thread together: some clients (SQLite's) complete "async" calls synchronously.
    /// Dedicated threads, because a barrier blocking pool threads waits for the pool to grow (half a second a thread).
    /// </summary>
    public static async Task<T[]> RunAsync<T>(params Func<Task<T>>[] calls)
    {
        using var start = new Barrier(calls.Length);
        return await Task.WhenAll(calls.Select(call => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return call();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
    }
}
