using System.Net;
using ProcurementBot.BotFramework;

namespace ProcurementBot.TryIt;

/// <summary>
/// The Bot Connector for the local Direct Line conversations, inside the bot's own connector client: calls to
/// <see cref="DirectLineConversations.ServiceUrl"/> are answered here from the conversation store and never
/// leave the process; every other call goes on to the network. So replies, proactive check-ins and escalation
/// cards take exactly the path they take to Teams (retries, pacing, the connector client) up to the wire.
/// </summary>
internal sealed class DirectLineConnectorHandler(DirectLineConversations conversations) : DelegatingHandler
{
    private static readonly Uri Base = new(DirectLineConversations.ServiceUrl);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { } uri || !Base.IsBaseOf(uri))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        // v3/conversations/{conversation}/activities[/{activity}]
        var segments = uri.AbsolutePath.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (segments is not ["v3", "conversations", var conversationId, "activities", .. var rest] || rest.Length > 1)
        {
            return Error(HttpStatusCode.NotFound, "NotSupported", $"The local Direct Line connector does not serve {request.Method} {uri.AbsolutePath}.");
        }

        var activity = request.Content is null ? null : await request.Content.ReadFromJsonAsync<Activity>(ProtocolJson.Options, cancellationToken);
        if (activity is null)
        {
            return Error(HttpStatusCode.BadRequest, "BadArgument", "The request carries no activity.");
        }

        activity.ChannelId = DirectLineConversations.ChannelId;
        activity.ServiceUrl = DirectLineConversations.ServiceUrl;
        activity.From ??= DirectLineConversations.Bot;
        activity.Conversation = conversations.Get(conversationId)?.Account();
        if (request.Method == HttpMethod.Post)
        {
            if (rest.Length == 1)
            {
                activity.ReplyToId = rest[0];
            }

            return conversations.Append(conversationId, activity) is { } id
                ? Json(HttpStatusCode.OK, new { id })
                : Error(HttpStatusCode.NotFound, "ConversationNotFound", "The conversation is gone (the try-it store keeps the latest ones only).");
        }

        if (request.Method == HttpMethod.Put && rest.Length == 1)
        {
            return conversations.Replace(conversationId, rest[0], activity)
                ? Json(HttpStatusCode.OK, new { id = rest[0] })
                : Error(HttpStatusCode.NotFound, "ActivityNotFound", "No such activity in the conversation.");
        }

        return Error(HttpStatusCode.MethodNotAllowed, "NotSupported", $"{request.Method} is not supported here.");
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = JsonContent.Create(body, options: ProtocolJson.Options) };

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) =>
        Json(status, new { error = new { code, message } });
}
