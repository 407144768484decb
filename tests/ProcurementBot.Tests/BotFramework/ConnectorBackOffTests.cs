using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProcurementBot.BotFramework;
using ProcurementBot.BotFramework.Pacing;

namespace ProcurementBot.Tests.BotFramework;

/// <summary>
/// The connector pipeline as the bot builds it (retries outside, pacing inside) over a scripted connector, on a
/// test clock moved in 50 ms steps: Retry-After in seconds and as an HTTP date, and a 429 holding back the pacer.
/// </summary>
public sealed class ConnectorBackOffTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ScriptedConnector _connector;
    private readonly ConnectorPacer _pacer;
    private readonly HttpClient _http;

    public ConnectorBackOffTests()
    {
        _connector = new ScriptedConnector(_clock);
        _pacer = new ConnectorPacer(_clock, Options.Create(new PacingOptions { Margin = TimeSpan.Zero }));
        _http = new HttpClient(new ConnectorRetryHandler(_clock) { InnerHandler = new ConnectorPacingHandler(_pacer, _clock) { InnerHandler = _connector } });
    }

    public void Dispose()
    {
        _http.Dispose();
        _pacer.Dispose();
    }

    [Fact]
    public async Task Retry_After_in_seconds_is_waited_out()
    {
        _connector.Answer("a", HttpStatusCode.TooManyRequests, h => h.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3)));

        var response = await RunAsync(PostAsync("a"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, _connector.CallsTo("a").Count);
        Assert.InRange(_connector.CallsTo("a")[1], 3000, 3000 + Step.TotalMilliseconds);
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_waited_out()
    {
        _connector.Answer("a", HttpStatusCode.ServiceUnavailable, h => h.RetryAfter = new RetryConditionHeaderValue(Start.AddSeconds(5)));

        var response = await RunAsync(PostAsync("a"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.InRange(_connector.CallsTo("a")[1], 5000, 5000 + Step.TotalMilliseconds);
    }

    [Fact]
    public async Task A_429_holds_back_other_calls_to_that_conversation_but_not_to_others()
    {
        _connector.Answer("a", HttpStatusCode.TooManyRequests, h => h.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2)));
        var first = PostAsync("a");
        await _connector.WaitForCallsAsync(1);

        var second = PostAsync("a");
        var other = PostAsync("b");
        await RunAsync(Task.WhenAll(first, second, other));

        Assert.Equal(0, _connector.CallsTo("b").Single());
        var calls = _connector.CallsTo("a");
        Assert.Equal(3, calls.Count);
        Assert.Equal(0, calls[0]);
        Assert.All(calls.Skip(1), at => Assert.InRange(at, 2000, 2000 + Step.TotalMilliseconds));
    }

    private Task<HttpResponseMessage> PostAsync(string conversation) =>
        _http.PostAsync(new Uri($"https://smba.example.net/teams/v3/conversations/{conversation}/activities"), new StringContent("{}"));

    /// <summary>Moves the clock in steps, letting the pipeline run between them, until <paramref name="work"/> is done.</summary>
    private async Task<T> RunAsync<T>(Task<T> work)
    {
        await RunAsync((Task)work);
        return await work;
    }

    private async Task RunAsync(Task work)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!work.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            _clock.Advance(Step);
        }

        await work;
    }

    /// <summary>Answers 201, or a scripted failure once per conversation; records when (ms since the start) each call came.</summary>
    private sealed class ScriptedConnector(TimeProvider clock) : HttpMessageHandler
    {
        private readonly ConcurrentQueue<(string Conversation, double At)> _calls = new();
        private readonly ConcurrentDictionary<string, (HttpStatusCode Status, Action<HttpResponseHeaders> Headers)> _failures = new();

        public void Answer(string conversation, HttpStatusCode status, Action<HttpResponseHeaders> headers) => _failures[conversation] = (status, headers);

        public IReadOnlyList<double> CallsTo(string conversation) => [.. _calls.Where(c => c.Conversation == conversation).Select(c => c.At)];

        public async Task WaitForCallsAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (_calls.Count < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var conversation = request.RequestUri!.Segments[4].TrimEnd('/');
            _calls.Enqueue((conversation, (clock.GetUtcNow() - Start).TotalMilliseconds));
            var response = new HttpResponseMessage(HttpStatusCode.Created);
            if (_failures.TryRemove(conversation, out var failure))
            {
                response.StatusCode = failure.Status;
                failure.Headers(response.Headers);
            }

            return Task.FromResult(response);
        }
    }
}
