using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProcurementBot.BotFramework.Cards;
using ProcurementBot.Escalations;
using ProcurementBot.People;

namespace ProcurementBot.BotFramework;

/// <summary>
/// The Teams side of escalations: "escalate here" said in a team channel, and buyers' clicks on
/// escalation cards (<c>adaptiveCard/action</c> invokes), answered in the invoke response.
/// </summary>
internal sealed partial class EscalationActivities(
    EscalationService escalations,
    PeopleDirectory people,
    TeamsEscalationAdapter channel,
    TimeProvider clock,
    ILogger<EscalationActivities> logger)
{
    [GeneratedRegex(@"^escalate\s+here(?:\s+for\s+(?<category>.+?))?[.!]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 100)]
    private static partial Regex EscalateHere();

    /// <summary>"escalate here" or "escalate here for &lt;category&gt;" (the bot's @mention already removed).</summary>
    public static bool IsEscalateHere(string said, out string category)
    {
        var match = EscalateHere().Match(said.Trim());
        category = match.Success ? match.Groups["category"].Value.Trim() : "";
        return match.Success;
    }

    /// <summary>An adaptiveCard/action invoke whose verb is an escalation's.</summary>
    public static bool IsCardAction(Activity activity) =>
        Action(activity) is { } action && action.TryGetProperty("verb", out var verb) && verb.ValueKind == JsonValueKind.String
        && verb.GetString()!.StartsWith("escalation.", StringComparison.Ordinal);

    /// <summary>Registers the channel the message was said in; returns what to answer.</summary>
    public async Task<string> RegisterAsync(Activity activity, string category, CancellationToken cancellationToken)
    {
        var teamId = activity.ChannelDataString("team", "id");
        if (activity.ChannelId != TeamsEscalationAdapter.ChannelId || activity.Conversation?.ConversationType != "channel" || teamId is null)
        {
            return "Escalations go to a team channel: say **@ProcurementBot escalate here** in the procurement team's channel that should receive them.";
        }

        var conversationId = activity.ChannelDataString("channel", "id") ?? TeamsEscalationAdapter.ChannelOf(activity.Conversation.Id!);
        var actor = await ActorAsync(activity, cancellationToken);
        var registration = new EscalationDestination
        {
            Category = category,
            ChannelId = activity.ChannelId,
            ServiceUrl = activity.ServiceUrl!,
            ConversationId = conversationId,
            TeamId = teamId,
            TenantId = activity.TenantId(),
            Name = activity.ChannelDataString("channel", "name"),
            RegisteredBy = actor.Name,
            RegisteredAt = clock.GetUtcNow(),
        };
        var result = await escalations.RegisterChannelAsync(actor, registration, cancellationToken);
        if (!result.Registered)
        {
            return "Sorry, only procurement admins can choose where escalations go. Ask one of them to say **@ProcurementBot escalate here** in this channel.";
        }

        var which = category.Length == 0 ? "Escalations" : $"Escalations for **{category}**";
        var waiting = result.Released switch
        {
            0 => "None are waiting right now.",
            1 => "1 waiting escalation will be posted here now.",
            var n => $"{n} waiting escalations will be posted here now.",
        };
        return $"Done: {which} will be posted in this channel. {waiting}";
    }

    /// <summary>A click on an escalation card: applies it and answers with the card as it now stands.</summary>
    public async Task<InvokeResult> OnCardActionAsync(Activity activity, CancellationToken cancellationToken)
    {
        var action = Action(activity)!.Value;
        var verbName = action.GetProperty("verb").GetString();
        if (EscalationCards.VerbOf(verbName) is not { } verb)
        {
            return AdaptiveCardInvokeResponse.Error(400, "UnknownAction", $"\"{verbName}\" is not an escalation action.");
        }

        var data = action.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        if (Text(data, "escalationId") is not { Length: > 0 } escalationId)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card action names no escalation (data.escalationId is missing).");
        }

        int? revision = Text(data, "revision") is { } r && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        var actionKey = $"{activity.ChannelId}|{activity.Conversation?.Id}|{activity.Id ?? Guid.NewGuid().ToString("N")}";
        var command = new EscalationCommand(escalationId, verb, await ActorAsync(activity, cancellationToken), actionKey, revision, Text(data, EscalationCards.NoteInput));

        ActResult result;
        try
        {
            result = await escalations.ActAsync(command, cancellationToken);
        }
        catch (ConnectorException ex)
        {
            // The membership check could not reach Teams; nothing changed, the buyer may click again.
            logger.LogWarning(ex, "Could not check who may act on escalation {EscalationId}", escalationId);
            return AdaptiveCardInvokeResponse.Error(503, "TeamsUnavailable", "I couldn't check your team membership just now. Please try again in a moment.");
        }

        logger.LogInformation("{Verb} on escalation {EscalationId} by {PersonId}: {Outcome}", verbName, escalationId, command.Actor.PersonId, result.Outcome);
        return result switch
        {
            { Outcome: ActOutcome.Applied or ActOutcome.AlreadyApplied or ActOutcome.Stale, Escalation: { } current } =>
                AdaptiveCardInvokeResponse.Card(await channel.RenderAsync(current, null, cancellationToken)),
            { Outcome: ActOutcome.Invalid, Escalation: { } current } =>
                AdaptiveCardInvokeResponse.Card(await channel.RenderAsync(current, result.Message, cancellationToken)),
            _ => AdaptiveCardInvokeResponse.Message(result.Message),
        };
    }

    private async Task<Actor> ActorAsync(Activity activity, CancellationToken cancellationToken)
    {
        var from = activity.From!;
        var personId = Person.MakeId(activity.ChannelId!, from.Id!);
        var known = await people.GetAsync(personId, cancellationToken);
        // The tenant is the activity's, which the tenant gate let in; the stored person's email only counts inside it.
        var tenant = activity.TenantId();
        var email = known is not null && string.Equals(known.TenantId ?? tenant, tenant, StringComparison.OrdinalIgnoreCase) ? known.Email : null;
        return new Actor(personId, from.Name ?? known?.Name ?? from.Id!, from.AadObjectId ?? known?.AadObjectId, email, tenant);
    }

    private static JsonElement? Action(Activity activity) =>
        activity.Value is { ValueKind: JsonValueKind.Object } value
        && value.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.Object
            ? action
            : null;

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
