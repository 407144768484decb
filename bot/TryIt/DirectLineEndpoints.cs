using System.Globalization;
using System.Text.Json;
using ProcurementBot.BotFramework;
using ProcurementBot.BotFramework.Authentication;
using ProcurementBot.BotFramework.Cards;
using ProcurementBot.Storage;

namespace ProcurementBot.TryIt;

/// <summary>
/// A local Direct Line 3.0 service for Web Chat (polling; no WebSocket): start a conversation with a token
/// from the try-it page, post activities, read them by watermark. Posted activities go to the bot in-process,
/// as Direct Line would post them to <c>/api/messages</c>, and the bot's replies come back through
/// <see cref="DirectLineConnectorHandler"/>.
/// </summary>
internal static class DirectLineEndpoints
{
    public const long MaxActivityBytes = 256 * 1024;

    public static void MapDirectLine(this RouteGroupBuilder app)
    {
        var directLine = app.MapGroup("/v3/directline");
        directLine.MapPost("/conversations", StartAsync);
        directLine.MapGet("/conversations/{conversationId}", Reconnect);
        directLine.MapPost("/conversations/{conversationId}/activities", PostActivityAsync);
        directLine.MapGet("/conversations/{conversationId}/activities", GetActivities);
        directLine.MapPost("/tokens/refresh", Refresh);
    }

    private static async Task<IResult> StartAsync(HttpRequest request, DirectLineConversations conversations, ActivityProcessor processor, IProcurementStore store,
        IBotRequestAuthenticator authenticator, ILogger<ActivityProcessor> logger, CancellationToken cancellationToken)
    {
        if (conversations.ByToken(Bearer(request)) is not { } conversation)
        {
            return Forbidden();
        }

        var first = conversation.TryStart();
        if (first)
        {
            // As Direct Line does when a conversation starts: the bot hears who joined (and welcomes a new person).
            var joined = FromClient(conversation, new Activity { Type = ActivityTypes.ConversationUpdate, MembersAdded = [DirectLineConversations.Bot, conversation.User] });
            await DeliverAsync(joined, conversation, conversations, processor, store, !authenticator.IsEnabled, logger, cancellationToken);
        }

        return Results.Json(Conversation(conversation), statusCode: first ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static IResult Reconnect(string conversationId, HttpRequest request, DirectLineConversations conversations) =>
        Authorized(request, conversationId, conversations) is { } conversation ? Results.Json(Conversation(conversation)) : Forbidden();

    private static IResult Refresh(HttpRequest request, DirectLineConversations conversations) =>
        conversations.ByToken(Bearer(request)) is { } conversation ? Results.Json(Conversation(conversation)) : Forbidden();

    private static IResult GetActivities(string conversationId, string? watermark, HttpRequest request, DirectLineConversations conversations)
    {
        if (Authorized(request, conversationId, conversations) is null)
        {
            return Forbidden();
        }

        var from = long.TryParse(watermark, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return conversations.Since(conversationId, from) is { } page
            ? Results.Json(new { activities = page.Activities, watermark = page.Watermark.ToString(CultureInfo.InvariantCulture) })
            : Results.NotFound();
    }

    private static async Task<IResult> PostActivityAsync(string conversationId, HttpRequest request, DirectLineConversations conversations,
        ActivityProcessor processor, IProcurementStore store, IBotRequestAuthenticator authenticator, ILogger<ActivityProcessor> logger, CancellationToken cancellationToken)
    {
        if (Authorized(request, conversationId, conversations) is not { } conversation)
        {
            return Forbidden();
        }

        var (posted, refusal) = await BotEndpoints.ReadActivityAsync(request, MaxActivityBytes, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (posted is not { Type.Length: > 0 })
        {
            return Results.Problem(statusCode: 400, title: "Malformed activity", detail: "The activity has no type.");
        }

        var activity = FromClient(conversation, posted);
        // Stored first: Direct Line echoes the client's own activities, and Web Chat waits for the echo.
        var id = conversations.Append(conversation.Id, activity);
        if (id is null)
        {
            return Results.NotFound();
        }

        return await DeliverAsync(activity, conversation, conversations, processor, store, !authenticator.IsEnabled, logger, cancellationToken)
            ? Results.Json(new { id })
            : Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The bot could not process this activity", detail: "It was logged.");
    }

    /// <summary>Runs the bot's turn for the activity; false when it failed (the person got an apology).</summary>
    private static async Task<bool> DeliverAsync(Activity activity, DirectLineConversation conversation, DirectLineConversations conversations,
        ActivityProcessor processor, IProcurementStore store, bool localMode, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            if (conversation.IsChannel && EscalationClick(activity) is { } invoke)
            {
                var result = await processor.ProcessAsync(invoke, localMode, cancellationToken);
                var escalationId = JsonText.Of(activity.Value!.Value, "escalationId");
                await ShowInvokeResultAsync(result, escalationId, conversation, conversations, store, cancellationToken);
            }
            else
            {
                await processor.ProcessAsync(activity, localMode, cancellationToken);
            }

            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The turn-error policy of /api/messages: log with context, tell the person briefly.
            logger.LogError(ex, "Turn failed for {ActivityType} activity {ActivityId} in try-it conversation {ConversationId}", activity.Type, activity.Id, conversation.Id);
            await processor.ApologizeAsync(activity, CancellationToken.None);
            return false;
        }
    }

    /// <summary>
    /// An Action.Submit click on an escalation card, as the <c>adaptiveCard/action</c> invoke Teams sends for the
    /// Action.Execute it stands for (its data holds the verb; the inputs are merged into the data).
    /// </summary>
    private static Activity? EscalationClick(Activity activity)
    {
        if (activity.Type != ActivityTypes.Message || activity.Value is not { ValueKind: JsonValueKind.Object } value
            || JsonText.Of(value, WebChatEscalationAdapter.VerbField) is not { } verb || !verb.StartsWith("escalation.", StringComparison.Ordinal))
        {
            return null;
        }

        var data = value.EnumerateObject().Where(p => p.Name != WebChatEscalationAdapter.VerbField).ToDictionary(p => p.Name, p => p.Value);
        return new Activity
        {
            Type = ActivityTypes.Invoke,
            Name = "adaptiveCard/action",
            Id = activity.Id,
            ChannelId = activity.ChannelId,
            ServiceUrl = activity.ServiceUrl,
            From = activity.From,
            Recipient = activity.Recipient,
            Conversation = activity.Conversation,
            Value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Execute", verb, data }, trigger = "manual" }),
        };
    }

    /// <summary>What Teams would show the clicker: the card as it now stands (maybe with a notice), or a message.</summary>
    private static async Task ShowInvokeResultAsync(InvokeResult? result, string? escalationId, DirectLineConversation conversation,
        DirectLineConversations conversations, IProcurementStore store, CancellationToken cancellationToken)
    {
        if (result?.Body is not AdaptiveCardInvokeResponse response)
        {
            return;
        }

        if (response.Value is AdaptiveCard card)
        {
            if (escalationId is not null && await store.GetEscalationAsync(escalationId, cancellationToken) is { Card: { } posted } && posted.ConversationId == conversation.Id)
            {
                conversations.Replace(conversation.Id, posted.ActivityId, WebChatEscalationAdapter.CardActivity(card));
            }

            return;
        }

        var text = response.Value as string ?? JsonText.Of(JsonSerializer.SerializeToElement(response.Value, ProtocolJson.Options), "message");
        if (text is not null)
        {
            conversations.Append(conversation.Id, new Activity
            {
                Type = ActivityTypes.Message,
                Text = text,
                From = DirectLineConversations.Bot,
                Recipient = conversation.User,
                Conversation = conversation.Account(),
                ChannelId = DirectLineConversations.ChannelId,
                ServiceUrl = DirectLineConversations.ServiceUrl,
            });
        }
    }

    /// <summary>The activity as Direct Line hands it to the bot: who sent it is the token's user, whatever the client claimed.</summary>
    private static Activity FromClient(DirectLineConversation conversation, Activity activity)
    {
        activity.Id = null;
        activity.Timestamp = null;
        activity.ChannelId = DirectLineConversations.ChannelId;
        activity.ServiceUrl = DirectLineConversations.ServiceUrl;
        activity.From = new ChannelAccount { Id = conversation.User.Id, Name = conversation.User.Name, Role = "user" };
        activity.Recipient = DirectLineConversations.Bot;
        activity.Conversation = conversation.Account();
        return activity;
    }

    private static object Conversation(DirectLineConversation conversation) => new
    {
        conversationId = conversation.Id,
        token = conversation.Token,
        expires_in = (int)DirectLineConversations.TokenLifetime.TotalSeconds,
    };

    private static DirectLineConversation? Authorized(HttpRequest request, string conversationId, DirectLineConversations conversations) =>
        conversations.ByToken(Bearer(request)) is { } conversation && conversation.Id == conversationId ? conversation : null;

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    // Direct Line answers 403 for a bad or expired token; Web Chat then reports the token as expired.
    private static IResult Forbidden() =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The token is missing, unknown or expired; reload the page.");
}
