using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using ProcurementBot.BotFramework.Authentication;

namespace ProcurementBot.Tests.Authentication;

/// <summary>Whoever starts the bot learns from its log whether /api/messages checks tokens.</summary>
public sealed class AuthenticationModeAnnouncementTests
{
    [Fact]
    public async Task Local_mode_is_announced_with_a_warning_at_startup()
    {
        var logged = await StartAsync([new("BotFramework:AllowLocalModeOutsideDevelopment", "true")]);

        var warning = Assert.Single(logged, l => l.Level == LogLevel.Warning);
        Assert.Contains("authentication is OFF", warning.Message, StringComparison.Ordinal);
        Assert.Contains("it hears only direct requests from this machine", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authentication_on_is_announced_with_the_app_id()
    {
        var logged = await StartAsync(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "0b5c7d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e",
            ["MicrosoftAppPassword"] = "secret",
            ["BotFramework:AllowedTenants:0"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
        });

        Assert.Contains(logged, l => l.Level == LogLevel.Information && l.Message.Contains("authentication is on for app 0b5c7d1e", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, l => l.Message.Contains("OFF", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<(LogLevel Level, string Message)>> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var sink = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(sink));
        services.AddBotFrameworkAuthentication(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new HostingEnvironment { EnvironmentName = "Production" });
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(default);
        }

        return [.. sink.Entries];
    }

    private sealed class ListLoggerProvider : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));

        public void Dispose()
        {
        }
    }
}
