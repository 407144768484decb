namespace ProcurementBot.Benchmarks;

/// <summary>Placeholder until the local identity lands: authentication off.</summary>
internal sealed class BenchmarkIdentity : IAsyncDisposable
{
    public IReadOnlyDictionary<string, string?> BotSettings { get; } = new Dictionary<string, string?>();

    public static Task<BenchmarkIdentity?> StartAsync() => Task.FromResult<BenchmarkIdentity?>(null);

    public string? ChannelToken(string serviceUrl) => BotSettings.Count == 0 ? null : serviceUrl;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
