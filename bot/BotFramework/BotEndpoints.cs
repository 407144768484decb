using ProcurementBot.BotFramework.Authentication;
using ProcurementBot.Http;

namespace ProcurementBot.BotFramework;

public static class BotEndpoints
{
    public const long MaxActivityBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapBotFramework(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", ReceiveAsync).WithName("BotFrameworkMessages")
            .WithSummary("Bot Framework activities from Teams, the Emulator and Direct Line.");
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request,
        IBotRequestAuthenticator authenticator,
        TrustedServiceUrls trusted,
        ActivityTenantFilter tenants,
        ActivityProcessor processor,
        ILogger<ActivityProcessor> logger,
        CancellationToken cancellationToken)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authenticator.IsEnabled && string.IsNullOrEmpty(authorization))
        {
            return Unauthorized(request.HttpContext, "The request has no Authorization header.");
        }

        if (!authenticator.IsEnabled && LocalModeRefusal(request, logger) is { } local)
        {
            return local;
        }

        var (activity, refusal) = await ReadActivityAsync(request, MaxActivityBytes, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (Invalid(activity) is { } problem)
        {
            return Results.Problem(statusCode: 400, title: "Malformed activity", detail: problem);
        }

        if (!authenticator.IsEnabled && !LocalServiceUrls.IsAllowed(activity!.ServiceUrl))
        {
            // Before anything is stored or sent: the reply would go to whatever address the caller named.
            logger.LogWarning("Refused an unauthenticated activity on channel {ChannelId}: its serviceUrl is not on this machine", activity.ChannelId);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Service URL not allowed in local mode", detail: LocalServiceUrls.Requirement);
        }

        var auth = await authenticator.AuthenticateAsync(authorization, activity!.ChannelId!, activity.ServiceUrl, cancellationToken);
        if (!auth.Succeeded)
        {
            return Unauthorized(request.HttpContext, auth.Failure ?? "The token is not valid.");
        }

        // Before anything is stored, replied or trusted: another tenant's activity changes nothing.
        if (tenants.Refusal(activity) is { } refused)
        {
            return refused;
        }

        if (authenticator.IsEnabled)
        {
            trusted.Trust(activity.ServiceUrl!);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["ActivityId"] = activity.Id,
            ["ActivityType"] = activity.Type,
            ["ChannelId"] = activity.ChannelId,
            ["ConversationId"] = activity.Conversation?.Id,
        });
        try
        {
            var result = await processor.ProcessAsync(activity, !authenticator.IsEnabled, cancellationToken);
            // Invoke bodies (cards) are written as every activity is: camelCase, nulls left out.
            return result is null ? Results.Ok() : Results.Json(result.Body, ProtocolJson.Options, statusCode: result.Status);
        }
        catch (ConnectorException ex) when (ex.IsRefusal && !cancellationToken.IsCancellationRequested)
        {
            // What the turn stored is stored; its reply was refused (a conversation the connector does not know, a bot
            // the person blocked), and a retry of the activity would be refused the same way: it is acknowledged.
            logger.LogWarning("The channel refused the reply to {ActivityType} activity {ActivityId}: {Status} {Code}", activity.Type, activity.Id, (int)ex.Status, ex.Code);
            return Results.Ok();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One policy for every failed turn: log with context, tell the person briefly, and answer 500 so
            // the channel retries; a retried activity is recognised and not stored twice.
            logger.LogError(ex, "Turn failed for {ActivityType} activity {ActivityId}", activity.Type, activity.Id);
            await processor.ApologizeAsync(activity, CancellationToken.None);
            return Results.Problem(statusCode: 500, title: "The bot could not process this activity", detail: "It was logged; the channel may retry.");
        }
    }

    /// <summary>
    /// The body as an activity (null for a JSON <c>null</c>), read whole up to <paramref name="maxBytes"/>; otherwise the
    /// refusal to answer with: 413 for a body too large, 400 naming the JSON error.
    /// </summary>
    internal static async Task<(Activity? Activity, IResult? Refusal)> ReadActivityAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var body = await BodyReader.ReadLimitedAsync(request, maxBytes, cancellationToken);
        if (body is null)
        {
            return (null, BodyReader.TooLarge(maxBytes));
        }

        try
        {
            return (BodyReader.Deserialize<Activity>(body, ProtocolJson.Options, "Malformed activity", "a valid activity"), null);
        }
        catch (MalformedInputException ex)
        {
            return (null, ex.ToProblem());
        }
    }

    /// <summary>
    /// Local mode checks no token, so it hears only this machine: a direct local request (no tunnel or proxy, a loopback
    /// Host) with a JSON body. The Emulator and Web Chat send application/json; a cross-site page can send text/plain
    /// without a CORS preflight, and would otherwise talk to the bot through the developer's own browser.
    /// </summary>
    private static IResult? LocalModeRefusal(HttpRequest request, ILogger logger)
    {
        if (DirectLocalRequest.WhyNot(request.HttpContext) is { } reason)
        {
            logger.LogWarning("Refused an unauthenticated request to {Path}: {Reason}", request.Path, reason);
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Local mode hears only this machine",
                detail: "MicrosoftAppId is empty, so /api/messages accepts only requests made on this machine directly (loopback address and Host, "
                    + "no proxy or tunnel). To reach the bot from Teams through a tunnel, set MicrosoftAppId and MicrosoftAppPassword (README, \"In Teams (sideload)\").");
        }

        var type = request.GetTypedHeaders().ContentType?.MediaType.Value;
        if (type is null || !type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: $"Send the activity as application/json (this request is {(type is null ? "without a Content-Type" : type)}).");
        }

        return null;
    }

    private static IResult Unauthorized(HttpContext http, string reason)
    {
        // RFC 6750: a request without a token gets the bare challenge, a bad token says so.
        http.Response.Headers.WWWAuthenticate = string.IsNullOrEmpty(http.Request.Headers.Authorization) ? "Bearer" : "Bearer error=\"invalid_token\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: reason);
    }

    private static string? Invalid(Activity? activity)
    {
        if (activity is null)
        {
            return "The body is empty or null.";
        }

        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            return "The activity has no type.";
        }

        if (string.IsNullOrWhiteSpace(activity.ChannelId))
        {
            return "The activity has no channelId.";
        }

        if (string.IsNullOrWhiteSpace(activity.ServiceUrl) || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return "The activity has no valid serviceUrl.";
        }

        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
        {
            return "The activity has no conversation id.";
        }

        if (string.IsNullOrWhiteSpace(activity.From?.Id))
        {
            return "The activity has no from.id.";
        }

        // These go into the connector's URL paths and the store's keys; no channel puts control characters in them.
        var ids = new[] { ("id", activity.Id), ("channelId", activity.ChannelId), ("conversation.id", activity.Conversation.Id), ("from.id", activity.From.Id) };
        return ids.FirstOrDefault(id => id.Item2?.Any(char.IsControl) == true) is (string name, not null)
            ? $"The activity's {name} contains control characters."
            : null;
    }
}
