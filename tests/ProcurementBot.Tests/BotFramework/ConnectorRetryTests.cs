using Microsoft.Extensions.Time.Testing;
using ProcurementBot.BotFramework;

namespace ProcurementBot.Tests.BotFramework;

/// <summary>Connector calls through the retry handler to the loopback connector stand-in, on a test clock.</summary>
public sealed class ConnectorRetryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TeamsConnectorStub _connector = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _connector = await TeamsConnectorStub.StartAsync();
        _http = new HttpClient(new ConnectorRetryHandler(_clock) { InnerHandler = new SocketsHttpHandler() });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _connector.DisposeAsync();
    }

    [Theory]
    [InlineData(412)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Transient_failures_are_retried_after_a_back_off(int status)
    {
        _connector.FailNext("POST", status);

        var send = PostAsync();
        await _connector.WaitForCallsAsync(1);
        await AdvanceUntilAsync(send);

        Assert.True((await send).IsSuccessStatusCode);
        Assert.Equal(2, _connector.Calls.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Failures_that_retrying_cannot_fix_are_returned_at_once(int status)
    {
        _connector.FailNext("POST", status);

        var response = await PostAsync();

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Single(_connector.Calls);
    }

    [Fact]
    public async Task Retry_After_is_waited_out_exactly_on_the_clock()
    {
        _connector.FailNext("POST", 429, retryAfterSeconds: 3);

        var send = PostAsync();
        await _connector.WaitForCallsAsync(1);
        await Task.Delay(200); // the handler reads the answer and starts waiting on the clock
        _clock.Advance(TimeSpan.FromSeconds(2.9));
        await Task.Delay(100);
        Assert.Single(_connector.Calls);

        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True((await send.WaitAsync(TimeSpan.FromSeconds(10))).IsSuccessStatusCode);
        Assert.Equal(2, _connector.Calls.Count);
    }

    [Fact]
    public async Task After_four_retries_the_last_failure_is_returned()
    {
        for (var i = 0; i <= ConnectorRetryHandler.MaxRetries + 1; i++)
        {
            _connector.FailNext("POST", 503);
        }

        var send = PostAsync();
        await AdvanceUntilAsync(send);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await send).StatusCode);
        Assert.Equal(ConnectorRetryHandler.MaxRetries + 1, _connector.Calls.Count);
    }

    private Task<HttpResponseMessage> PostAsync() =>
        _http.PostAsync(new Uri(new Uri(_connector.ServiceUrl), "v3/conversations/a%3A1/activities"), new StringContent("{\"type\":\"message\",\"text\":\"hi\"}", System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Moves the clock on in small steps (never more than the longest back-off) until the call is done.</summary>
    private async Task AdvanceUntilAsync(Task send)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!send.IsCompleted && DateTime.UtcNow < deadline)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(10);
        }
    }
}
