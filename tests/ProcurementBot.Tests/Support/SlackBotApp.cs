using System.Globalization;
using System.Net.Http.Headers;
using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// The bot with Slack on, its Web API pointed at a <see cref="SlackApiStandIn"/>, and helpers that post events and
/// interactions signed as Slack signs them (on the bot's clock).
/// </summary>
public class SlackBotApp : BotApp
{
    /// <summary>The signing secret of Slack's own documentation example; a test secret, not a real app's.</summary>
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";

    public SlackBotApp()
        : base(DateTimeOffset.UtcNow, null)
    {
    }

    /// <summary>Another instance on <paramref name="databaseFile"/>, the store of a first one (with its own Slack stand-in).</summary>
    protected SlackBotApp(string databaseFile)
        : base(DateTimeOffset.UtcNow, databaseFile)
    {
    }

    public SlackApiStandIn Slack { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Slack:SigningSecret", SigningSecret),
        new("Slack:BotToken", SlackApiStandIn.BotToken),
        new("Slack:ApiBaseUrl", Slack.ApiBaseUrl.ToString()),
        new("Slack:AllowedTeams:0", SlackApiStandIn.TeamId),
        .. SlackSettings,
    ];

    /// <summary>More configuration for a derived fixture.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> SlackSettings => [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Slack = await SlackApiStandIn.StartAsync();
    }

    /// <summary>POSTs an Events API body (JSON) to /api/slack/events, signed now unless told otherwise.</summary>
    public Task<HttpResponseMessage> PostEventAsync(JsonObject body, int? retryNum = null, string? signature = null, DateTimeOffset? signedAt = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return PostSignedAsync("/api/slack/events", content, retryNum, signature, signedAt);
    }

    /// <summary>POSTs an interaction to /api/slack/interactions as Slack does: form-encoded, the JSON in <c>payload</c>.</summary>
    public Task<HttpResponseMessage> PostInteractionAsync(JsonObject payload, string? signature = null, DateTimeOffset? signedAt = null) =>
        PostSignedAsync("/api/slack/interactions", new FormUrlEncodedContent([new("payload", payload.ToJsonString())]), null, signature, signedAt);

    /// <summary>POSTs these exact bytes, signed now: for bodies a JSON writer would not produce (duplicate keys, broken escapes).</summary>
    public Task<HttpResponseMessage> PostSignedBytesAsync(string path, byte[] body, string? mediaType)
    {
        var content = new ByteArrayContent(body);
        if (mediaType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        }

        return PostSignedAsync(path, content, null, null, null);
    }

    private async Task<HttpResponseMessage> PostSignedAsync(string path, HttpContent content, int? retryNum, string? signature, DateTimeOffset? signedAt)
    {
        var body = await content.ReadAsByteArrayAsync();
        var timestamp = (signedAt ?? Clock.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature ?? SlackSignature.Sign(SigningSecret, timestamp, body));
        if (retryNum is { } retry)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await CreateClient().SendAsync(request);
    }

    /// <summary>
    /// Waits for the bot's Web API calls, made off the request. Meanwhile the bot's clock moves on a second at a time,
    /// so calls paced to Slack's rate limits (on that clock) get their turn.
    /// </summary>
    public async Task<IReadOnlyList<SlackCall>> WaitForSlackAsync(string method, int count = 1)
    {
        await AdvancingAsync(Slack.WaitForAsync(method, count, TimeSpan.FromSeconds(20)));
        return Slack.CallsOf(method);
    }

    /// <summary>Waits until every event and click acknowledged so far was handled, the clock moving on meanwhile.</summary>
    public Task<bool> WaitForSlackIdleAsync() => AdvancingAsync(Task.Run(async () =>
    {
        var inbox = Services.GetRequiredService<SlackInbox>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (inbox.Unfinished > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return inbox.Unfinished == 0;
    }));

    /// <summary>Sends the due check-ins, the clock moving on while Web API calls wait for their turn.</summary>
    public Task<int> DispatchSlackAsync() => AdvancingAsync(DispatchAsync());

    /// <summary>Awaits <paramref name="task"/>, advancing the clock by a second whenever it is still running after a little while.</summary>
    public async Task<T> AdvancingAsync<T>(Task<T> task)
    {
        while (await Task.WhenAny(task, Task.Delay(50)) != task)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        return await task;
    }

    public override async ValueTask DisposeAsync()
    {
        await Slack.DisposeAsync();
        await base.DisposeAsync();
    }
}
