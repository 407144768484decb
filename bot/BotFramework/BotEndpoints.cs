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
        ActivityProcessor processor,
        ILogger<ActivityProcessor> logger,
        CancellationToken cancellationToken)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authenticator.IsEnabled && string.IsNullOrEmpty(authorization))
        {
            return Unauthorized(request.HttpContext, "The request has no Authorization header.");
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

        var auth = await authenticator.AuthenticateAsync(authorization, activity!.ChannelId!, activity.ServiceUrl, cancellationToken);
        if (!auth.Succeeded)
        {
            return Unauthorized(request.HttpContext, auth.Failure ?? "The token is not valid.");
        }

        if (authenticator.IsEnabled)
        {
            trusted.Trust(activity.ServiceUrl!);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["ActivityId"] = activity.Id, ["ActivityType"] = activity.Type, ["ChannelId"] = activity.ChannelId, ["ConversationId"] = activity.Conversation?.Id,
        });
        try
        {
            var result = await processor.ProcessAsync(activity, !authenticator.IsEnabled, cancellationToken);
            // Invoke bodies (cards) are written as every activity is: camelCase, nulls left out.
            return result is null ? Results.Ok() : Results.Json(result.Body, ProtocolJson.Options, statusCode: result.Status);
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

    private static IResult Unauthorized(HttpContext http, string reason)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
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

        return string.IsNullOrWhiteSpace(activity.From?.Id) ? "The activity has no from.id." : null;
    }
}
