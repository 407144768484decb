using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Slack;

/// <summary>The Web API client as the bot registers it, against the stand-in, on a fake clock: pacing per tier and channel, 429s, and a token that never reaches the logs.</summary>
public sealed class SlackApiClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly CapturedLogs _logs = new();
    private SlackApiStandIn _slack = null!;
    private ServiceProvider _services = null!;

    private SlackApiClient Api => _services.GetRequiredService<SlackApiClient>();

    public async Task InitializeAsync()
    {
        _slack = await SlackApiStandIn.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SlackBotApp.SigningSecret,
            ["Slack:BotToken"] = SlackApiStandIn.BotToken,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
            ["Slack:AllowedTeams:0"] = SlackApiStandIn.TeamId,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSlack();
        _services = services.BuildServiceProvider();
    }

    [Fact]
    public async Task Posts_to_one_channel_are_paced_to_one_a_second_after_a_short_burst_and_other_channels_go_on()
    {
        for (var i = 0; i < SlackRateLimits.PostMessagePerChannel.Burst; i++)
        {
            await Api.PostMessageAsync(new SlackPost("D0PACED", $"burst {i}"), default);
        }

        var paced = Api.PostMessageAsync(new SlackPost("D0PACED", "paced"), default);
        await Task.Delay(200);
        Assert.False(paced.IsCompleted);
        await Api.PostMessageAsync(new SlackPost("D0OTHER", "another channel"), default);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await paced.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SlackRateLimits.PostMessagePerChannel.Burst + 2, _slack.CallsOf("chat.postMessage").Count);
    }

    [Fact]
    public async Task A_tier_3_method_goes_at_its_burst_then_about_50_a_minute()
    {
        Assert.Equal(SlackRateLimits.Tier3, SlackRateLimits.For("chat.update"));
        for (var i = 0; i < SlackRateLimits.Tier3.Burst; i++)
        {
            await Api.UpdateMessageAsync("D0TIER3", $"1.{i}", "text", null, default);
        }

        var next = Api.UpdateMessageAsync("D0TIER3", "2.0", "text", null, default);
        await Task.Delay(200);
        Assert.False(next.IsCompleted);

        // 50 a minute: one every 1.2 seconds.
        _clock.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(100);
        Assert.False(next.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_429_waits_for_Retry_After_on_the_clock_and_then_succeeds()
    {
        _slack.AddMember(new SlackMember("U0LIMIT1", "limit@contoso.com", "Lee Limit"));
        _slack.FailNext("users.info", status: 429, retryAfterSeconds: 30);

        var user = Api.GetUserAsync("U0LIMIT1", default);
        await WaitForBackOffAsync("users.info");
        _clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.False(user.IsCompleted);
        Assert.Single(_slack.CallsOf("users.info"));

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("Lee Limit", (await user.WaitAsync(TimeSpan.FromSeconds(5)))!.Name);
        Assert.Equal(2, _slack.CallsOf("users.info").Count);
    }

    [Fact]
    public async Task Calls_go_to_Slack_ApiBaseUrl_with_the_token_only_in_the_header_and_it_is_never_logged()
    {
        _slack.FailNext("chat.postMessage", status: 500);
        _slack.FailNext("chat.update", error: "invalid_auth");
        _slack.FailNext("conversations.open", status: 429, retryAfterSeconds: 1);

        var http = await Assert.ThrowsAsync<SlackApiException>(() => Api.PostMessageAsync(new SlackPost("D0TOKEN", "hello"), default));
        var auth = await Assert.ThrowsAsync<SlackApiException>(() => Api.UpdateMessageAsync("D0TOKEN", "1.1", "text", null, default));
        var open = Api.OpenDirectMessageAsync("U0TOKEN1", default);
        await WaitForBackOffAsync("conversations.open");
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("D0TOKEN1", await open.WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.Equal(("http_500", "invalid_auth"), (http.Error, auth.Error));
        Assert.All(_slack.Calls, c => Assert.Equal($"Bearer {SlackApiStandIn.BotToken}", c.Authorization));
        Assert.All(_slack.Calls, c => Assert.Null(c.Arguments["token"]));
        Assert.NotEmpty(_logs.Lines);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(SlackApiStandIn.BotToken, StringComparison.Ordinal) || l.Contains("xoxb-", StringComparison.Ordinal));
        Assert.DoesNotContain("xoxb-", http.ToString() + auth.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Until the client has seen the 429 and is waiting on the clock (it logs just before).</summary>
    private async Task WaitForBackOffAsync(string method)
    {
        await WaitUntilAsync(() => _logs.Lines.Any(l => l.Contains($"{method} rate-limited", StringComparison.Ordinal)));
        await Task.Delay(100);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 250 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _slack.DisposeAsync();
    }

    /// <summary>Every log line, its exception and its scopes, as text.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                logs.Lines.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}");
        }
    }
}
