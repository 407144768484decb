using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ProcurementBot.Tests.Support;

/// <summary>One request the bot made to the connector.</summary>
public sealed record ConnectorCall(string Method, string Path, string? Authorization, JsonNode? Body)
{
    public string? Text => Body?["text"]?.GetValue<string>();

    public JsonNode? Card => Body?["attachments"]?[0]?["content"];

    public IReadOnlyList<string> Suggestions =>
        Body?["suggestedActions"]?["actions"]?.AsArray().Select(a => a!["title"]!.GetValue<string>()).ToList() ?? [];

    /// <summary>Everything the person would read: text, or the card's text blocks and labels.</summary>
    public string Visible => Text ?? string.Join(" | ", (Card?.ToJsonString() ?? "").Split('"').Where((_, i) => i % 2 == 1));
}

/// <summary>
/// A stand-in for the Bot Connector service (Teams' <c>serviceUrl</c>) on loopback. It records every
/// call and answers the way the real service does: ids for sent activities, members for lookups.
/// Failures can be queued per path prefix to test retries and refusals.
/// </summary>
public sealed class TeamsConnectorStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ConnectorCall> _calls = new();
    private readonly ConcurrentDictionary<string, JsonObject> _members = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, JsonObject>> _teams = new();
    private readonly ConcurrentQueue<(string Method, int Status, string? Body, int? RetryAfter)> _failures = new();
    private int _nextId;

    private TeamsConnectorStub(WebApplication app)
    {
        _app = app;
    }

    public string ServiceUrl { get; private set; } = "";

    public IReadOnlyList<ConnectorCall> Calls => [.. _calls];

    public static async Task<TeamsConnectorStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The bot's appsettings.json (copied next to the tests) names port 3978; the stub takes any free port.
        builder.Configuration["Urls"] = "http://127.0.0.1:0";
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new TeamsConnectorStub(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.ServiceUrl = address.TrimEnd('/') + "/";
        return stub;
    }

    /// <summary>What the member lookup returns for a Teams user id, as Teams shapes it.</summary>
    public void AddMember(string userId, string name, string email, string aadObjectId, string tenantId) =>
        _members[userId] = new JsonObject
        {
            ["id"] = userId,
            ["name"] = name,
            ["aadObjectId"] = aadObjectId,
            ["givenName"] = name.Split(' ')[0],
            ["surname"] = name.Split(' ')[^1],
            ["email"] = email,
            ["userPrincipalName"] = email.ToLowerInvariant(),
            ["tenantId"] = tenantId,
            ["userRole"] = "user",
        };

    /// <summary>
    /// Makes the user a member of the team: the member lookup on the team's id finds them by Teams user id
    /// or AAD object id. Anyone else looked up on that team gets 404, as Teams answers for non-members.
    /// </summary>
    public void AddTeamMember(string teamId, string userId, string name, string email, string aadObjectId)
    {
        var team = _teams.GetOrAdd(teamId, _ => new ConcurrentDictionary<string, JsonObject>());
        var member = new JsonObject
        {
            ["id"] = userId,
            ["name"] = name,
            ["aadObjectId"] = aadObjectId,
            ["email"] = email,
            ["userPrincipalName"] = email.ToLowerInvariant(),
            ["userRole"] = "user",
        };
        team[userId] = member;
        team[aadObjectId] = member;
    }

    /// <summary>The next request with this method fails with the status (and Retry-After seconds).</summary>
    public void FailNext(string method, int status, string? errorCode = null, int? retryAfterSeconds = null) =>
        _failures.Enqueue((method, status, errorCode is null ? null : JsonSerializer.Serialize(new { error = new { code = errorCode, message = errorCode } }), retryAfterSeconds));

    public void Clear() => _calls.Clear();

    private readonly ConcurrentQueue<JsonNode> _threadsCreated = new();
    private readonly TaskCompletionSource _firstThreadHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _threadHold;

    /// <summary>The bodies of the channel threads created and answered 201 to a caller still waiting for the answer.</summary>
    public IReadOnlyList<JsonNode> ThreadsCreated => [.. _threadsCreated];

    /// <summary>
    /// From now on a request for a new channel thread (an escalation card) waits, unanswered, until
    /// <see cref="ReleaseThreadCreations"/>: a deterministic point to kill the bot at. Completes when the first one waits.
    /// </summary>
    public Task HoldThreadCreationsAsync()
    {
        Interlocked.CompareExchange(ref _threadHold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
        return _firstThreadHeld.Task;
    }

    /// <summary>Lets held and later thread requests through; one whose caller is gone (killed) creates nothing, as it was never answered.</summary>
    public void ReleaseThreadCreations() => Interlocked.Exchange(ref _threadHold, null)?.TrySetResult();

    private readonly TaskCompletionSource _firstActivityHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _activityHold;
    private int _activitiesToLetThrough;
    private int _activitiesHeld;

    /// <summary>
    /// How many posts and updates of activities in a conversation (sends, replies, card replacements) were held by
    /// <see cref="HoldActivitiesAsync"/> so far. Each is recorded in <see cref="Calls"/> when it arrives: whether Teams
    /// showed it to the person when its caller died waiting is unknowable, so it counts as delivered.
    /// </summary>
    public int ActivitiesHeld => Volatile.Read(ref _activitiesHeld);

    /// <summary>
    /// From now on, once <paramref name="letThrough"/> more have been answered, a post or update of an activity in a
    /// conversation (the bot's sends and replies) waits, unanswered, until <see cref="ReleaseActivities"/>: a
    /// deterministic point to kill the bot at. Completes when the first one waits.
    /// </summary>
    public Task HoldActivitiesAsync(int letThrough = 0)
    {
        Volatile.Write(ref _activitiesToLetThrough, letThrough);
        Interlocked.CompareExchange(ref _activityHold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
        return _firstActivityHeld.Task;
    }

    /// <summary>Lets held and later activity requests through; one whose caller is gone (killed) is not answered.</summary>
    public void ReleaseActivities() => Interlocked.Exchange(ref _activityHold, null)?.TrySetResult();

    /// <summary>Waits until at least <paramref name="count"/> calls were recorded.</summary>
    public async Task<IReadOnlyList<ConnectorCall>> WaitForCallsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (_calls.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} connector calls, saw {_calls.Count}: {string.Join(", ", _calls.Select(c => $"{c.Method} {c.Path}"))}");
            }

            await Task.Delay(20);
        }

        return Calls;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        JsonNode? body = null;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            body = await JsonNode.ParseAsync(request.Body);
        }

        var path = Uri.UnescapeDataString(request.Path.Value ?? "");
        _calls.Enqueue(new ConnectorCall(request.Method, path, request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, body));

        if (_failures.TryPeek(out var failure) && failure.Method == request.Method && _failures.TryDequeue(out failure))
        {
            context.Response.StatusCode = failure.Status;
            if (failure.RetryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (failure.Body is not null)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(failure.Body);
            }

            return;
        }

        var segments = path.Trim('/').Split('/');
        if (request.Method == "GET" && segments is ["v3", "conversations", var conversation, "members", var memberId])
        {
            var members = _teams.TryGetValue(conversation, out var team) ? team : _members;
            if (members.TryGetValue(memberId, out var member))
            {
                await context.Response.WriteAsJsonAsync(member);
            }
            else
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsJsonAsync(new { error = new { code = "MemberNotFoundInConversation", message = "The member was not found." } });
            }

            return;
        }

        if (request.Method == "POST" && segments is ["v3", "conversations"] && body?["isGroup"]?.GetValue<bool>() == true)
        {
            // A new thread in a channel: Teams names the thread "{channel};messageid={id of its first message}".
            var channel = body["channelData"]?["channel"]?["id"]?.GetValue<string>();
            if (channel is null)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new { error = new { code = "BadArgument", message = "channelData.channel.id is required." } });
                return;
            }

            if (Volatile.Read(ref _threadHold) is { } hold)
            {
                _firstThreadHeld.TrySetResult();
                await hold.Task;
                if (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
            }

            var activityId = (1_700_000_000_000 + Interlocked.Increment(ref _nextId)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(new { id = $"{channel};messageid={activityId}", activityId });
            await context.Response.CompleteAsync();
            _threadsCreated.Enqueue(body);
            return;
        }

        if (request.Method == "POST" && segments is ["v3", "conversations"])
        {
            var user = body?["members"]?[0]?["id"]?.GetValue<string>() ?? "unknown";
            await context.Response.WriteAsJsonAsync(new { id = $"a:personal-{user}" });
            return;
        }

        if (request.Method is "POST" or "PUT" && segments is ["v3", "conversations", _, "activities", ..])
        {
            if (Volatile.Read(ref _activityHold) is { } hold && Interlocked.Decrement(ref _activitiesToLetThrough) < 0)
            {
                Interlocked.Increment(ref _activitiesHeld);
                _firstActivityHeld.TrySetResult();
                await hold.Task;
                if (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
            }

            var id = request.Method == "PUT" ? segments[4] : $"activity-{Interlocked.Increment(ref _nextId)}";
            context.Response.StatusCode = request.Method == "POST" ? 201 : 200;
            await context.Response.WriteAsJsonAsync(new { id });
            return;
        }

        context.Response.StatusCode = 404;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
