using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using ProcurementBot.Http;
using ProcurementBot.Tenants;

namespace ProcurementBot.Slack;

/// <summary>
/// <c>POST /api/slack/events</c> (Events API) and <c>POST /api/slack/interactions</c> (interactivity). Every request
/// is checked against Slack's signature over the raw body before anything in it is read; a bad one gets 401 and
/// changes nothing. An event or click is stored (<see cref="SlackInbox"/>), then acknowledged, and handled off the
/// request, except a modal submission, whose answer Slack waits for.
/// </summary>
public static class SlackEndpoints
{
    public const long MaxBodyBytes = 256 * 1024;

    // Events from bots, ourselves included, and edits or deletions of messages are not people talking to the bot.
    private static readonly HashSet<string> IgnoredSubtypes = new(StringComparer.Ordinal)
    {
        "bot_message", "message_changed", "message_deleted", "message_replied", "channel_join", "channel_leave", "ekm_access_denied",
    };

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/slack/events", EventsAsync).WithName("SlackEvents")
            .WithSummary("Slack Events API: url_verification and event_callback, signed by Slack.");
        app.MapPost("/api/slack/interactions", InteractionsAsync).WithName("SlackInteractions")
            .WithSummary("Slack interactivity: block_actions and view_submission, signed by Slack.");
        return app;
    }

    private static async Task<IResult> EventsAsync(
        HttpRequest request,
        IOptions<SlackOptions> options,
        TimeProvider clock,
        SlackInbox inbox,
        SlackRouter router,
        TenantPolicy tenants,
        ILogger<SlackInbox> logger,
        CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadVerifiedAsync(request, options.Value, clock, cancellationToken);
        if (body is null)
        {
            return refusal!;
        }

        if (ParseObject(body) is not { } envelope)
        {
            return Malformed("The body is not a JSON object.");
        }

        switch (Str(envelope, "type"))
        {
            case "url_verification":
                return Results.Json(new { challenge = Str(envelope, "challenge") ?? "" });
            case "event_callback":
                break;
            default:
                // app_rate_limited and future envelope types: nothing to do, and nothing for Slack to retry.
                return Results.Ok();
        }

        if (Str(envelope, "event_id") is not { Length: > 0 } eventId || envelope["event"] is not JsonObject slackEvent)
        {
            return Malformed("An event_callback needs an event_id and an event.");
        }

        // Acknowledged, so Slack stops retrying, but another team's event changes nothing (nothing is stored).
        if (ForeignTeam(tenants, Str(envelope, "team_id"), Str(slackEvent, "user_team"), Str(slackEvent, "team")) is { } foreign)
        {
            logger.LogWarning("Ignored Slack event {EventId} from team {TeamId}: not in Slack:AllowedTeams", eventId, foreign);
            return Results.Ok();
        }

        if (IsFromABot(envelope, slackEvent) || !router.HandlesEvent(slackEvent))
        {
            return Results.Ok();
        }

        var lane = Str(slackEvent, "user") ?? Str(slackEvent, "channel") ?? eventId;
        var accepted = await inbox.AcceptAsync(SlackItemKind.Event, eventId, lane, envelope.ToJsonString(), cancellationToken);
        if (accepted == SlackAcceptance.Duplicate)
        {
            logger.LogInformation("Slack event {EventId} was already received (retry {RetryNum}, {RetryReason}); ignored",
                eventId, request.Headers["X-Slack-Retry-Num"].ToString(), request.Headers["X-Slack-Retry-Reason"].ToString());
        }

        return accepted == SlackAcceptance.Refused ? Busy() : Results.Ok();
    }

    private static async Task<IResult> InteractionsAsync(
        HttpRequest request,
        IOptions<SlackOptions> options,
        TimeProvider clock,
        SlackInbox inbox,
        SlackRouter router,
        TenantPolicy tenants,
        ILogger<SlackInbox> logger,
        CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadVerifiedAsync(request, options.Value, clock, cancellationToken);
        if (body is null)
        {
            return refusal!;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        if (!form.TryGetValue("payload", out var raw) || ParseObject(Encoding.UTF8.GetBytes(raw.ToString())) is not { } payload)
        {
            return Malformed("An interaction is form-encoded with its JSON in the payload field.");
        }

        if (ForeignTeam(tenants, Str(payload["team"], "id"), Str(payload["user"], "team_id")) is { } foreign)
        {
            logger.LogWarning("Ignored Slack {InteractionType} from team {TeamId}: not in Slack:AllowedTeams", Str(payload, "type"), foreign);
            return Results.Ok();
        }

        switch (Str(payload, "type"))
        {
            case "block_actions":
                // Slack sends the one element that was used.
                if (payload["actions"] is not JsonArray { Count: > 0 } actions || actions[0] is not JsonObject action)
                {
                    return Malformed("block_actions without actions.");
                }

                var actionId = Str(action, "action_id");
                if (router.HandlerFor(actionId) is null)
                {
                    logger.LogInformation("No handler for Slack action {ActionId}", actionId);
                    return Results.Ok();
                }

                // trigger_id names this one click; without it (Slack always sends one), who clicked what when.
                var user = Str(payload["user"], "id");
                var clickId = Str(payload, "trigger_id") ?? $"{user}|{actionId}|{Str(action, "action_ts")}";
                var accepted = await inbox.AcceptAsync(SlackItemKind.Action, clickId, user ?? actionId!, payload.ToJsonString(), cancellationToken);
                return accepted == SlackAcceptance.Refused ? Busy() : Results.Ok();
            case "view_submission":
                if (router.HandlerFor(Str(payload["view"], "callback_id")) is not { } viewHandler)
                {
                    logger.LogInformation("No handler for Slack view {CallbackId}", Str(payload["view"], "callback_id"));
                    return Results.Ok();
                }

                var answer = await viewHandler.HandleViewSubmissionAsync(payload, cancellationToken);
                return answer is null ? Results.Ok() : Results.Content(answer.ToJsonString(), "application/json");
            default:
                return Results.Ok();
        }
    }

    /// <summary>The raw body when Slack signed it; otherwise why not, as the response. Nothing is parsed before this.</summary>
    private static async Task<(byte[]? Body, IResult? Refusal)> ReadVerifiedAsync(HttpRequest request, SlackOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return (null, Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Slack is not configured",
                detail: "Set Slack:SigningSecret and Slack:BotToken (see README, \"In Slack\") to receive Slack requests."));
        }

        var body = await BodyReader.ReadLimitedAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"A Slack request body must be at most {MaxBodyBytes / 1024} KB."));
        }

        var failure = SlackSignature.Check(
            options.SigningSecret, request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"], body, clock.GetUtcNow());
        return failure is null
            ? (body, null)
            : (null, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: failure));
    }

    /// <summary>
    /// The first team named that the bot does not serve, or null when all are served. The request's own team is
    /// required; the user's team, when given, must be served too (a Slack Connect guest from another organisation).
    /// </summary>
    private static string? ForeignTeam(TenantPolicy tenants, string? requestTeam, params string?[] userTeams)
    {
        if (!tenants.AllowsSlackTeam(requestTeam))
        {
            return string.IsNullOrEmpty(requestTeam) ? "(none)" : requestTeam[..Math.Min(requestTeam.Length, 32)];
        }

        return userTeams.FirstOrDefault(t => !string.IsNullOrEmpty(t) && !tenants.AllowsSlackTeam(t)) is { } other ? other[..Math.Min(other.Length, 32)] : null;
    }

    private static bool IsFromABot(JsonObject envelope, JsonObject slackEvent)
    {
        if (slackEvent["bot_id"] is not null || slackEvent["bot_profile"] is not null)
        {
            return true;
        }

        if (Str(slackEvent, "subtype") is { } subtype && IgnoredSubtypes.Contains(subtype))
        {
            return true;
        }

        // Our own user, as the envelope's authorizations name it.
        var user = Str(slackEvent, "user");
        return user is not null && envelope["authorizations"] is JsonArray authorizations
            && authorizations.OfType<JsonObject>().Any(a => a["is_bot"]?.GetValueKind() == JsonValueKind.True && Str(a, "user_id") == user);
    }

    // Slack never sends a malformed body, so one that is signed and malformed is refused (400) rather than acknowledged.
    private static JsonObject? ParseObject(byte[] body)
    {
        try
        {
            return BodyReader.ParseObject(body, 64, "Malformed Slack request", "a JSON object");
        }
        catch (MalformedInputException)
        {
            return null;
        }
    }

    private static string? Str(JsonNode? node, string name) => SlackDirectMessages.Str(node, name);

    private static IResult Malformed(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed Slack request", detail: detail);

    private static IResult Busy() =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy",
            detail: "Too much Slack work is unfinished, or it could not be stored; Slack will retry.");
}
