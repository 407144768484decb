using System.Collections;
using System.Collections.Concurrent;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// A logger provider that keeps every line as text: the formatted message, each structured value, the scopes open
/// around it and the whole exception (messages of inner exceptions too), for tests of what logs must never hold.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static string Describe(object? state) => state switch
    {
        null => "",
        string text => text,
        IEnumerable<KeyValuePair<string, object?>> values => string.Join(", ", values.Select(v => $"{v.Key}={Describe(v.Value)}")) + $" [{state}]",
        IEnumerable items and not string => string.Join(", ", items.Cast<object?>().Select(Describe)),
        _ => state.ToString() ?? "",
    };

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logs._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            logs._scopes.ForEachScope((scope, list) => list.Add(Describe(scope)), scopes);
            logs.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {Describe(state)} | scopes: {string.Join(" / ", scopes)} | {exception}");
        }
    }
}
