using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ProcurementBot.BotFramework.Authentication;

namespace ProcurementBot.BotFramework;

/// <summary>
/// The Bot Connector REST API (send, reply, update, create conversation, member lookup). Transient
/// failures are retried by the resilience pipeline registered with this client; app tokens are only
/// ever sent to service URLs that arrived in authenticated activities, and in local mode (no app token)
/// only local service URLs are called at all.
/// </summary>
public sealed class ConnectorClient(IHttpClientFactory httpClients, IConnectorTokenProvider tokens, TrustedServiceUrls trusted)
{
    public async Task<string?> SendAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Escape(conversationId)}/activities";
        var response = await SendJsonAsync<ResourceResponse>(HttpMethod.Post, serviceUrl, path, activity, cancellationToken);
        return response?.Id;
    }

    public async Task<string?> ReplyAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Escape(conversationId)}/activities/{Escape(replyToId)}";
        var response = await SendJsonAsync<ResourceResponse>(HttpMethod.Post, serviceUrl, path, activity, cancellationToken);
        return response?.Id;
    }

    public async Task UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        activity.Id = activityId;
        var path = $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}";
        await SendJsonAsync<ResourceResponse>(HttpMethod.Put, serviceUrl, path, activity, cancellationToken);
    }

    /// <summary>Starts a conversation, e.g. a Teams 1:1 chat: returns its id.</summary>
    public async Task<string> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        (await StartConversationAsync(serviceUrl, parameters, cancellationToken)).Id;

    /// <summary>
    /// Starts a conversation with its first activity, e.g. a new thread in a Teams channel: Teams answers
    /// with <c>{channel id};messageid={activity id}</c> and the activity id.
    /// </summary>
    public async Task<ConversationResource> StartConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken)
    {
        var response = await SendJsonAsync<ConversationResource>(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, cancellationToken);
        return response is { Id: { Length: > 0 } }
            ? response
            : throw new ConnectorException(HttpStatusCode.OK, null, "The connector created a conversation but returned no id.");
    }

    public async Task<TeamsMember?> GetMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        try
        {
            return await SendJsonAsync<TeamsMember>(HttpMethod.Get, serviceUrl, $"v3/conversations/{Escape(conversationId)}/members/{Escape(memberId)}", null, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<T?> SendJsonAsync<T>(HttpMethod method, string serviceUrl, string path, object? body, CancellationToken cancellationToken)
    {
        var baseUri = new Uri(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/", UriKind.Absolute);
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        if (body is not null)
        {
            // Buffered, so the request carries a Content-Length rather than chunked encoding.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ProtocolJson.Options));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        var token = await tokens.GetTokenAsync(cancellationToken);
        if (token is not null)
        {
            if (!trusted.IsTrusted(serviceUrl))
            {
                throw new ConnectorException(HttpStatusCode.Forbidden, "UntrustedServiceUrl",
                    $"Refusing to send the bot's token to {baseUri.Host}: that service URL never arrived in an authenticated activity.");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (!LocalServiceUrls.IsAllowed(serviceUrl))
        {
            // Local mode: /api/messages refuses such activities, and this holds for references stored before too.
            throw new ConnectorException(HttpStatusCode.Forbidden, "NonLocalServiceUrl",
                $"Refusing to call {baseUri.Host} in local mode: without MicrosoftAppId the bot calls only service URLs on this machine.");
        }

        // A client per call from the factory: its pooled handlers rotate, so DNS changes of a service URL are picked up.
        using var response = await httpClients.CreateClient(BotFrameworkExtensions.ConnectorHttpClient).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = ErrorCode(text);
            throw new ConnectorException(response.StatusCode, code,
                $"{method} {path} on {baseUri.Host} failed with {(int)response.StatusCode}{(code is null ? "" : $" ({code})")}.");
        }

        if (response.Content.Headers.ContentLength == 0 || response.StatusCode == HttpStatusCode.NoContent)
        {
            return default;
        }

        var content = await response.Content.ReadAsStringAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(content) ? default : JsonSerializer.Deserialize<T>(content, ProtocolJson.Options);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string? ErrorCode(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record ResourceResponse(string? Id);

}
