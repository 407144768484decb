using System.Net.Mail;
using System.Text.Json;
using ProcurementBot.Admin;
using ProcurementBot.BotFramework.Cards;
using ProcurementBot.CheckIns;
using ProcurementBot.People;
using ProcurementBot.Tenants;

namespace ProcurementBot.BotFramework;

/// <summary>
/// Translates Bot Framework activities into the bot's core turns, and the core's replies back into
/// activities. The only place that knows both the activity shapes and the core.
/// </summary>
internal sealed class ActivityProcessor(
    PeopleDirectory people,
    CheckInConversation conversation,
    QuestionSetCommands questionSets,
    ConnectorClient connector,
    EscalationActivities escalations,
    TenantPolicy tenants,
    ILogger<ActivityProcessor> logger)
{
    public async Task<InvokeResult?> ProcessAsync(Activity activity, bool localMode, CancellationToken cancellationToken)
    {
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                await OnMessageAsync(activity, localMode, cancellationToken);
                return null;
            case ActivityTypes.ConversationUpdate:
                await OnConversationUpdateAsync(activity, cancellationToken);
                return null;
            case ActivityTypes.InstallationUpdate:
                await OnInstallationUpdateAsync(activity, cancellationToken);
                return null;
            case ActivityTypes.Invoke:
                return await OnInvokeAsync(activity, cancellationToken);
            default:
                // typing, messageReaction, event, endOfConversation...: nothing to do.
                return null;
        }
    }

    private async Task OnMessageAsync(Activity activity, bool localMode, CancellationToken cancellationToken)
    {
        if (EscalationActivities.IsEscalateHere(activity.TextWithoutBotMention(), out var category))
        {
            var answer = await escalations.RegisterAsync(activity, category, cancellationToken);
            await SendRepliesAsync(activity, [new TextReply(answer)], cancellationToken);
            return;
        }

        if (!activity.IsPersonal())
        {
            // In channels the bot only hears @mentions; check-ins happen in 1:1 chats.
            var said = activity.TextWithoutBotMention();
            var text = said.Equals("help", StringComparison.OrdinalIgnoreCase) || said.Length == 0
                ? "I check in with people after their purchases are delivered, in a 1:1 chat. Message me directly to see your check-ins."
                : "I run check-ins in 1:1 chats. Message me directly, or say **help**.";
            await SendRepliesAsync(activity, [new TextReply(text)], cancellationToken);
            return;
        }

        var (person, _) = await RecognizeAsync(activity, cancellationToken);
        var typed = activity.TextWithoutBotMention();

        // A local convenience only: with authentication off (the Emulator) nobody's directory says who they are.
        if (localMode && TrySelfDeclaredEmail(typed) is { } email)
        {
            (person, _) = await people.RecordContactAsync(person with { Email = email }, cancellationToken);
            await SendRepliesAsync(activity, [new TextReply($"Got it: purchases for {email} will come to this chat. (Local mode only.)")], cancellationToken);
            return;
        }

        var turn = new Turn(person, ActivityKey(activity), typed, Submission(activity), activity.ReplyToId);
        var replies = (turn.Submission is null ? await questionSets.TryHandleAsync(person, typed, cancellationToken) : null)
            ?? await conversation.HandleAsync(turn, cancellationToken);
        await SendRepliesAsync(activity, replies, cancellationToken);
    }

    private async Task OnConversationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        var added = activity.MembersAdded ?? [];
        if (!activity.IsPersonal() || added.Count == 0 || activity.From?.Id is null)
        {
            return;
        }

        var (_, isNew) = await RecognizeAsync(activity, cancellationToken);
        if (isNew)
        {
            await SendRepliesAsync(activity, [new TextReply(BotText.Welcome(activity.From.Name))], cancellationToken);
        }
    }

    private async Task OnInstallationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.IsPersonal() && activity.Action is "add" or "add-upgrade" && activity.From?.Id is not null)
        {
            var (_, isNew) = await RecognizeAsync(activity, cancellationToken);
            if (isNew)
            {
                await SendRepliesAsync(activity, [new TextReply(BotText.Welcome(activity.From.Name))], cancellationToken);
            }
        }
        else if (activity.Action is "remove" or "remove-upgrade")
        {
            logger.LogInformation("The bot was removed from conversation {ConversationId}", activity.Conversation?.Id);
        }
    }

    private async Task<InvokeResult> OnInvokeAsync(Activity activity, CancellationToken cancellationToken) => activity.Name switch
    {
        "adaptiveCard/action" when EscalationActivities.IsCardAction(activity) => await escalations.OnCardActionAsync(activity, cancellationToken),
        "adaptiveCard/action" => AdaptiveCardInvokeResponse.Error(400, "UnknownAction", "This card action is not supported."),
        _ => new InvokeResult(501, null),
    };

    /// <summary>Stores the person's chat reference, looking up their email in the directory the first time.</summary>
    private async Task<(Person Person, bool IsNew)> RecognizeAsync(Activity activity, CancellationToken cancellationToken)
    {
        var from = activity.From!;
        var id = Person.MakeId(activity.ChannelId!, from.Id!);
        var known = await people.GetAsync(id, cancellationToken);
        TeamsMember? member = null;
        if (known?.Email is null && activity.ChannelId == "msteams")
        {
            try
            {
                member = await connector.GetMemberAsync(activity.ServiceUrl!, activity.Conversation!.Id!, from.Id!, cancellationToken);
            }
            catch (Exception ex) when (ex is ConnectorException or HttpRequestException)
            {
                logger.LogWarning(ex, "Member lookup for {PersonId} failed; purchases cannot reach them by email until it succeeds", id);
            }
        }

        var tenant = activity.TenantId();
        if (member is not null && ((member.TenantId is { } memberTenant && tenant is not null && !string.Equals(memberTenant, tenant, StringComparison.OrdinalIgnoreCase))
            || !tenants.AllowsTeamsTenant(member.TenantId ?? tenant)))
        {
            // An address is how a purchase finds its requester: one from another tenant's directory would send
            // someone else's check-in to this chat.
            logger.LogWarning("Member lookup for {PersonId} reported tenant {MemberTenantId}, not the activity's {TenantId}; its email is not used",
                id, member.TenantId, tenant);
            member = null;
        }

        var seen = new Person
        {
            Id = id,
            Channel = activity.ChannelId!,
            UserId = from.Id!,
            Name = member?.Name ?? from.Name,
            Email = member?.Email,
            UserPrincipalName = member?.UserPrincipalName,
            AadObjectId = member?.AadObjectId ?? from.AadObjectId,
            TenantId = tenant ?? member?.TenantId,
            ServiceUrl = activity.ServiceUrl,
            ConversationId = activity.Conversation?.Id,
            BotId = activity.Recipient?.Id,
            BotName = activity.Recipient?.Name,
            Locale = activity.Locale,
            TimeZone = ReportedTimeZone(activity),
            FirstSeenAt = default,
            UpdatedAt = default,
        };
        return await people.RecordContactAsync(seen, known, cancellationToken);
    }

    /// <summary>
    /// The client's IANA time zone: the activity's <c>localTimezone</c>, else the <c>timezone</c> of Teams'
    /// <c>clientInfo</c> entity. Unknown ids are dropped by <see cref="PeopleDirectory"/>.
    /// </summary>
    private static string? ReportedTimeZone(Activity activity)
    {
        if (activity.Extra?.GetValueOrDefault("localTimezone") is { ValueKind: JsonValueKind.String } local && local.GetString() is { Length: > 0 } id)
        {
            return id;
        }

        return (activity.Entities ?? [])
            .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("clientInfo"))
            .Select(e => e.TryGetProperty("timezone", out var zone) && zone.ValueKind == JsonValueKind.String ? zone.GetString() : null)
            .FirstOrDefault(zone => !string.IsNullOrWhiteSpace(zone));
    }

    /// <summary>An Action.Submit click: a message whose value is the card's data merged with its inputs.</summary>
    private static CardSubmission? Submission(Activity activity)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        string? action = null;
        string? checkInId = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => null,
            };
            switch (property.Name)
            {
                case "action":
                    action = text;
                    break;
                case "checkInId":
                    checkInId = text;
                    break;
                default:
                    if (text is not null && property.Name.StartsWith(CheckInCards.InputPrefix, StringComparison.Ordinal))
                    {
                        values[property.Name[CheckInCards.InputPrefix.Length..]] = text;
                    }

                    break;
            }
        }

        return new CardSubmission(action ?? "", checkInId, values);
    }

    private async Task SendRepliesAsync(Activity incoming, IReadOnlyList<Reply> replies, CancellationToken cancellationToken)
    {
        var serviceUrl = incoming.ServiceUrl!;
        var conversationId = incoming.Conversation!.Id!;
        foreach (var reply in replies)
        {
            var outgoing = ReplyRenderer.Message(reply, incoming.ChannelId, incoming.From?.Id);
            outgoing.From = incoming.Recipient;
            outgoing.Recipient = incoming.From;
            outgoing.Conversation = incoming.Conversation;
            outgoing.ReplyToId = incoming.Id;
            outgoing.Locale = incoming.Locale;
            if (reply is CheckInSummaryReply summary)
            {
                try
                {
                    await connector.UpdateAsync(serviceUrl, conversationId, summary.MessageId, outgoing, cancellationToken);
                }
                catch (ConnectorException ex)
                {
                    // The answers are stored; an old card that stays editable is a cosmetic loss.
                    logger.LogWarning(ex, "Could not replace card {MessageId} with its summary", summary.MessageId);
                }

                continue;
            }

            var id = incoming.Id is null
                ? await connector.SendAsync(serviceUrl, conversationId, outgoing, cancellationToken)
                : await connector.ReplyAsync(serviceUrl, conversationId, incoming.Id, outgoing, cancellationToken);
            if (reply is CheckInCardReply card && id is not null)
            {
                await conversation.RememberCardAsync(card.Card.CheckInId, id, cancellationToken);
            }
        }
    }

    private static string ActivityKey(Activity activity) =>
        $"{activity.ChannelId}|{activity.Conversation?.Id}|{activity.Id ?? Guid.NewGuid().ToString("N")}";

    private static string? TrySelfDeclaredEmail(string text)
    {
        foreach (var prefix in new[] { "i am ", "my email is " })
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var candidate = text[prefix.Length..].Trim();
                return MailAddress.TryCreate(candidate, out var address) && address.Address == candidate ? candidate.ToLowerInvariant() : null;
            }
        }

        return null;
    }

    /// <summary>Sends a short apology after a failed turn; never throws.</summary>
    public async Task ApologizeAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Type != ActivityTypes.Message || activity.ServiceUrl is null || activity.Conversation?.Id is null)
        {
            return;
        }

        try
        {
            await SendRepliesAsync(activity, [new TextReply(BotText.TurnError)], cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not apologise in conversation {ConversationId}", activity.Conversation.Id);
        }
    }
}
