using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ProcurementBot.Tests.Support;

/// <summary>One Web API call the bot made: the method, its arguments (JSON body or form fields as a JSON object) and the Authorization header.</summary>
public sealed record SlackCall(string Method, JsonObject Arguments, string? Authorization, bool AsJson)
{
    public string? Arg(string name) => Arguments[name] is JsonValue v ? v.ToString() : Arguments[name]?.ToJsonString();
}

/// <summary>A message as it stands in a channel now (after any chat.update): its ts, fallback text and blocks.</summary>
public sealed record SlackStoredMessage(string Channel, string Ts, string? Text, JsonArray Blocks);

/// <summary>A workspace member the stand-in knows, answered by users.info and users.lookupByEmail as Slack shapes them.</summary>
public sealed record SlackMember(string Id, string Email, string RealName, string TimeZone = "Europe/Berlin", bool IsBot = false, string TeamId = SlackApiStandIn.TeamId);

/// <summary>
/// A local stand-in for the Slack Web API (<c>https://slack.com/api/{method}</c>) on loopback: answers the methods the bot
/// uses with Slack's documented response shapes, records every call, and can fail the next call of a method
/// (an error code, or HTTP 429 with Retry-After). Like Slack, read methods take form fields only, write methods JSON or form.
/// </summary>
public sealed class SlackApiStandIn : IAsyncDisposable
{
    public const string TeamId = "T0PROCURE";
    public const string BotToken = "xoxb-test-0000000000-0000000000000-standinstandinstandin";
    public const string BotUserId = "U0PROCBOT";

    /// <summary>How calls to an interaction's response_url are recorded (they are not Web API methods).</summary>
    public const string ResponseUrlCalls = "response_url";

    private static readonly HashSet<string> ReadMethods = ["users.info", "users.lookupByEmail", "conversations.members", "conversations.info"];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, SlackMember> _members = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _channelMembers = new();
    private readonly ConcurrentQueue<(string Method, int Status, string? Error, int? RetryAfter)> _failures = new();
    private readonly ConcurrentDictionary<(string Channel, string Ts), SlackStoredMessage> _messages = new();
    private readonly ConcurrentDictionary<string, string> _channelNames = new();
    private volatile Hold? _hold;
    private long _responseUrls;
    private long _ts = 1_700_000_000_000_000;

    private SlackApiStandIn(WebApplication app) => _app = app;

    /// <summary>Where the bot's <c>Slack:ApiBaseUrl</c> points (ends with <c>/api/</c>).</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    public IReadOnlyList<SlackCall> Calls => [.. _calls];

    public IReadOnlyList<SlackCall> CallsOf(string method) => [.. _calls.Where(c => c.Method == method)];

    public static async Task<SlackApiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Urls"] = "http://127.0.0.1:0";
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new SlackApiStandIn(app);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.ApiBaseUrl = new Uri(address.TrimEnd('/') + "/api/");
        return standIn;
    }

    /// <summary>How long every answer takes, like a slow Slack (the bot must still acknowledge within 3 seconds).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The messages in a channel as they stand now, oldest first.</summary>
    public IReadOnlyList<SlackStoredMessage> MessagesIn(string channel) =>
        [.. _messages.Values.Where(m => m.Channel == channel).OrderBy(m => m.Ts, StringComparer.Ordinal)];

    public SlackMember AddMember(SlackMember member) => _members[member.Id] = member;

    /// <summary>Puts users in a channel, as conversations.members will list them.</summary>
    public void AddToChannel(string channel, params string[] userIds)
    {
        var members = _channelMembers.GetOrAdd(channel, _ => new());
        foreach (var id in userIds)
        {
            members[id] = true;
        }
    }

    /// <summary>Names a channel, as conversations.info will describe it (other channels are channel_not_found).</summary>
    public void NameChannel(string channel, string name) => _channelNames[channel] = name;

    /// <summary>
    /// A response_url for an interaction payload, shaped like Slack's (<c>https://hooks.slack.com/actions/T…/…/…</c>) but
    /// on this stand-in: what the bot posts there is recorded as <see cref="ResponseUrlCalls"/>, with the URL in <c>_url</c>.
    /// </summary>
    public string NewResponseUrl() =>
        new Uri(ApiBaseUrl, $"/actions/{TeamId}/{Interlocked.Increment(ref _responseUrls)}/{Guid.NewGuid():N}").ToString();

    /// <summary>The next call of <paramref name="method"/> fails: <c>{ok:false, error}</c> with HTTP 200, or the HTTP status (429 with Retry-After seconds).</summary>
    public void FailNext(string method, string? error = null, int status = 200, int? retryAfterSeconds = null) =>
        _failures.Enqueue((method, status, error, retryAfterSeconds));

    public void Clear() => _calls.Clear();

    /// <summary>
    /// From now on, calls of <paramref name="method"/> are recorded and then held unanswered until
    /// <see cref="ReleaseHeld"/> (a slow Slack, or a bot killed mid-call). The task completes when the first is held.
    /// </summary>
    public Task HoldAsync(string method)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = new Hold(method, held, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return held.Task;
    }

    /// <summary>Answers every held call, and holds no more.</summary>
    public void ReleaseHeld()
    {
        var hold = _hold;
        _hold = null;
        hold?.Release.TrySetResult();
    }

    /// <summary>Waits until at least <paramref name="count"/> calls of <paramref name="method"/> were recorded (the bot works off the request).</summary>
    public async Task<IReadOnlyList<SlackCall>> WaitForAsync(string method, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (CallsOf(method).Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} {method} calls; saw: {string.Join(", ", _calls.Select(c => c.Method))}");
            }

            await Task.Delay(20);
        }

        return CallsOf(method);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var method = (request.Path.Value ?? "").TrimStart('/').Replace("api/", "", StringComparison.Ordinal);
        var asJson = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        JsonObject arguments;
        if (asJson)
        {
            arguments = (await JsonNode.ParseAsync(request.Body))?.AsObject() ?? [];
        }
        else
        {
            arguments = [];
            if (request.HasFormContentType)
            {
                foreach (var (key, value) in await request.ReadFormAsync())
                {
                    arguments[key] = value.ToString();
                }
            }
        }

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }

        var authorization = request.Headers.Authorization.ToString();
        if (method.StartsWith("actions/", StringComparison.Ordinal))
        {
            // A response_url: no token, the URL is the credential; Slack answers ok.
            arguments["_url"] = $"{request.Scheme}://{request.Host}{request.Path}";
            _calls.Enqueue(new SlackCall(ResponseUrlCalls, arguments, authorization.Length > 0 ? authorization : null, asJson));
            await context.Response.WriteAsJsonAsync(new JsonObject { ["ok"] = true });
            return;
        }

        _calls.Enqueue(new SlackCall(method, arguments, authorization.Length > 0 ? authorization : null, asJson));

        if (_hold is { } hold && hold.Method == method)
        {
            hold.Held.TrySetResult();
            await hold.Release.Task.WaitAsync(context.RequestAborted);
        }

        if (_failures.TryPeek(out var failure) && failure.Method == method && _failures.TryDequeue(out failure))
        {
            context.Response.StatusCode = failure.Status;
            if (failure.RetryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            if (failure.Status == 200)
            {
                await context.Response.WriteAsJsonAsync(new JsonObject { ["ok"] = false, ["error"] = failure.Error ?? "fatal_error" });
            }

            return;
        }

        await context.Response.WriteAsJsonAsync(Answer(method, arguments, authorization, asJson));
    }

    private JsonObject Answer(string method, JsonObject args, string authorization, bool asJson)
    {
        if (authorization != $"Bearer {BotToken}")
        {
            return Error(authorization.Length == 0 ? "not_authed" : "invalid_auth");
        }

        if (asJson && ReadMethods.Contains(method))
        {
            // Slack reads these methods' arguments from the query or form only.
            return Error("invalid_arguments");
        }

        string? Arg(string name) => args[name] is JsonValue v ? v.ToString() : null;
        switch (method)
        {
            case "users.lookupByEmail":
                return _members.Values.FirstOrDefault(m => string.Equals(m.Email, Arg("email"), StringComparison.OrdinalIgnoreCase)) is { } byEmail
                    ? Ok(new JsonObject { ["user"] = UserJson(byEmail) })
                    : Error("users_not_found");
            case "users.info":
                return Arg("user") is { } id && _members.TryGetValue(id, out var member)
                    ? Ok(new JsonObject { ["user"] = UserJson(member) })
                    : Error("user_not_found");
            case "conversations.open":
                return Arg("users") is { Length: > 0 } users && !users.Contains(',', StringComparison.Ordinal)
                    ? Ok(new JsonObject { ["channel"] = new JsonObject { ["id"] = "D" + users.TrimStart('U', 'W') } })
                    : Error("invalid_arguments");
            case "chat.postMessage":
                if (Arg("channel") is not { Length: > 0 } channel)
                {
                    return Error("channel_not_found");
                }

                var ts = NextTs();
                _messages[(channel, ts)] = new SlackStoredMessage(channel, ts, Arg("text"), Blocks(args));
                return Ok(new JsonObject
                {
                    ["channel"] = channel,
                    ["ts"] = ts,
                    ["message"] = new JsonObject { ["type"] = "message", ["user"] = BotUserId, ["text"] = Arg("text"), ["ts"] = ts, ["thread_ts"] = Arg("thread_ts") },
                });
            case "chat.update":
                if (Arg("channel") is { Length: > 0 } updated && Arg("ts") is { Length: > 0 } updatedTs && _messages.ContainsKey((updated, updatedTs)))
                {
                    _messages[(updated, updatedTs)] = new SlackStoredMessage(updated, updatedTs, Arg("text"), Blocks(args));
                }

                return Arg("channel") is { Length: > 0 } && Arg("ts") is { Length: > 0 }
                    ? Ok(new JsonObject { ["channel"] = Arg("channel"), ["ts"] = Arg("ts"), ["text"] = Arg("text") })
                    : Error("message_not_found");
            case "views.open":
                return Arg("trigger_id") is { Length: > 0 } && args["view"] is JsonObject
                    ? Ok(new JsonObject { ["view"] = new JsonObject { ["id"] = $"V{NextTs().Replace(".", "", StringComparison.Ordinal)}" } })
                    : Error("invalid_arguments");
            case "conversations.members":
                var inChannel = _channelMembers.TryGetValue(Arg("channel") ?? "", out var set) ? set.Keys.Order(StringComparer.Ordinal).ToList() : [];
                return Ok(new JsonObject
                {
                    ["members"] = new JsonArray([.. inChannel.Select(m => (JsonNode)m)]),
                    ["response_metadata"] = new JsonObject { ["next_cursor"] = "" },
                });
            case "conversations.info":
                return Arg("channel") is { } named && _channelNames.TryGetValue(named, out var name)
                    ? Ok(new JsonObject { ["channel"] = new JsonObject { ["id"] = named, ["name"] = name, ["is_channel"] = true, ["is_member"] = true } })
                    : Error("channel_not_found");
            default:
                return Error("unknown_method");
        }
    }

    /// <summary>Blocks as JSON, or as the JSON-encoded string a form-encoded call carries.</summary>
    private static JsonArray Blocks(JsonObject args) => args["blocks"] switch
    {
        JsonArray blocks => (JsonArray)blocks.DeepClone(),
        JsonValue text when text.TryGetValue<string>(out var json) => JsonNode.Parse(json) as JsonArray ?? [],
        _ => [],
    };

    private string NextTs()
    {
        var micros = Interlocked.Increment(ref _ts);
        return string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:000000}");
    }

    private static JsonObject UserJson(SlackMember m) => new()
    {
        ["id"] = m.Id,
        ["team_id"] = m.TeamId,
        ["name"] = m.Email.Split('@')[0],
        ["deleted"] = false,
        ["real_name"] = m.RealName,
        ["tz"] = m.TimeZone,
        ["tz_label"] = m.TimeZone,
        ["tz_offset"] = 3600,
        ["is_bot"] = m.IsBot,
        ["profile"] = new JsonObject { ["real_name"] = m.RealName, ["display_name"] = m.RealName.Split(' ')[0], ["email"] = m.Email },
    };

    private static JsonObject Ok(JsonObject body)
    {
        body["ok"] = true;
        return body;
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private sealed record Hold(string Method, TaskCompletionSource Held, TaskCompletionSource Release);

    public async ValueTask DisposeAsync()
    {
        ReleaseHeld();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
