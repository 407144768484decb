using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ProcurementBot.Slack;

/// <summary>
/// The Slack Web API methods the bot uses. Write methods send JSON, read methods form fields, as Slack asks; the bot
/// token goes in the Authorization header only and is never logged. Calls are paced to each method's rate-limit tier
/// (<see cref="SlackRateLimits"/>); 429s wait for <c>Retry-After</c>.
/// </summary>
public sealed partial class SlackApiClient(
    IHttpClientFactory httpClients, IOptions<SlackOptions> options, SlackPacer pacer, TimeProvider clock, ILogger<SlackApiClient> logger)
{
    public const string HttpClientName = "SlackWebApi";
    private const int MaxAttempts = 4;

    /// <summary><c>users.lookupByEmail</c>; null when nobody in the workspace has the address.</summary>
    public async Task<SlackUser?> LookupUserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        try
        {
            return UserOf((await ReadAsync("users.lookupByEmail", [new("email", email)], cancellationToken))["user"]);
        }
        catch (SlackApiException ex) when (ex.Error == "users_not_found")
        {
            return null;
        }
    }

    /// <summary><c>users.info</c>; null for an unknown user.</summary>
    public async Task<SlackUser?> GetUserAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            return UserOf((await ReadAsync("users.info", [new("user", userId)], cancellationToken))["user"]);
        }
        catch (SlackApiException ex) when (ex.Error == "user_not_found")
        {
            return null;
        }
    }

    /// <summary><c>conversations.open</c> with one user: the id of the bot's DM channel with them.</summary>
    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken) =>
        (await WriteAsync("conversations.open", new JsonObject { ["users"] = userId }, cancellationToken))["channel"]?["id"]?.GetValue<string>()
        ?? throw new SlackApiException("conversations.open", "no_channel_in_response");

    /// <summary><c>chat.postMessage</c>.</summary>
    public async Task<SlackMessage> PostMessageAsync(SlackPost post, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = post.Channel, ["text"] = post.Text };
        if (post.Blocks is not null)
        {
            body["blocks"] = post.Blocks.DeepClone();
        }

        if (post.ThreadTs is not null)
        {
            body["thread_ts"] = post.ThreadTs;
        }

        var answer = await WriteAsync("chat.postMessage", body, cancellationToken, post.Channel);
        return new SlackMessage(answer["channel"]?.GetValue<string>() ?? post.Channel, answer["ts"]!.GetValue<string>());
    }

    /// <summary><c>chat.update</c>: replaces a message the bot posted.</summary>
    public async Task UpdateMessageAsync(string channel, string ts, string text, JsonArray? blocks, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text, ["blocks"] = blocks?.DeepClone() ?? new JsonArray() };
        await WriteAsync("chat.update", body, cancellationToken);
    }

    /// <summary><c>views.open</c>: shows a modal in answer to an interaction's <paramref name="triggerId"/> (valid for 3 seconds).</summary>
    public async Task OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken) =>
        await WriteAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view.DeepClone() }, cancellationToken);

    /// <summary><c>conversations.members</c>, every page: whether the user is in the channel.</summary>
    public async Task<bool> IsChannelMemberAsync(string channel, string userId, CancellationToken cancellationToken)
    {
        var cursor = "";
        do
        {
            var page = await ReadAsync("conversations.members", [new("channel", channel), new("limit", "200"), new("cursor", cursor)], cancellationToken);
            if (page["members"]?.AsArray().Any(m => m?.GetValue<string>() == userId) == true)
            {
                return true;
            }

            cursor = page["response_metadata"]?["next_cursor"]?.GetValue<string>() ?? "";
        }
        while (cursor.Length > 0);
        return false;
    }

    private Task<JsonObject> WriteAsync(string method, JsonObject body, CancellationToken cancellationToken, string? channel = null) =>
        CallAsync(method, () => new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), channel, cancellationToken);

    private Task<JsonObject> ReadAsync(string method, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken) =>
        CallAsync(method, () => new FormUrlEncodedContent(fields), null, cancellationToken);

    private async Task<JsonObject> CallAsync(string method, Func<HttpContent> content, string? channel, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var http = httpClients.CreateClient(HttpClientName);
        var baseUrl = settings.ApiBaseUrl.AbsoluteUri.EndsWith('/') ? settings.ApiBaseUrl : new Uri(settings.ApiBaseUrl.AbsoluteUri + "/");
        for (var attempt = 1; ; attempt++)
        {
            await pacer.WaitTurnAsync(method, channel, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, method)) { Content = content() };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.BotToken);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
            {
                var wait = RetryAfter(response);
                logger.LogWarning("Slack {Method} rate-limited (attempt {Attempt}); retrying in {Wait}", method, attempt, wait);
                pacer.Pause(method, wait);
                await Task.Delay(wait, clock, cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SlackApiException(method, $"http_{(int)response.StatusCode}", response.StatusCode);
            }

            JsonObject? json;
            try
            {
                json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                json = null;
            }

            if (json is null)
            {
                throw new SlackApiException(method, "invalid_response");
            }

            if (json["ok"]?.GetValue<bool>() != true)
            {
                throw new SlackApiException(method, json["error"]?.GetValue<string>() ?? "unknown_error");
            }

            return json;
        }
    }

    /// <summary>Slack sends Retry-After in seconds; without one, a second. Never more than a minute per wait.</summary>
    private static TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait;
    }

    private static SlackUser? UserOf(JsonNode? user) => user is null ? null : new SlackUser(
        user["id"]!.GetValue<string>(),
        user["team_id"]?.GetValue<string>(),
        user["real_name"]?.GetValue<string>() ?? user["profile"]?["real_name"]?.GetValue<string>() ?? user["name"]?.GetValue<string>(),
        user["profile"]?["email"]?.GetValue<string>(),
        user["tz"]?.GetValue<string>(),
        user["is_bot"]?.GetValue<bool>() ?? false,
        user["deleted"]?.GetValue<bool>() ?? false);
}
