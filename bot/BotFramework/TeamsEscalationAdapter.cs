using System.Text.Json;
using ProcurementBot.BotFramework.Cards;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Storage;

namespace ProcurementBot.BotFramework;

/// <summary>
/// Escalation cards in a Teams channel: each escalation a new thread, updated in place, with SLA
/// reminders in its thread. Team membership (who may act) is asked of the connector.
/// </summary>
internal sealed class TeamsEscalationAdapter(ConnectorClient connector, TrustedServiceUrls trusted, IProcurementStore store) : IEscalationAdapter
{
    public const string ChannelId = "msteams";

    private const string MessageIdMarker = ";messageid=";

    public bool Handles(string channelId) => channelId == ChannelId;

    public async Task<PostedCard> PostAsync(EscalationDestination channel, Escalation escalation, Person? buyer, CancellationToken cancellationToken)
    {
        // The registration's service URL arrived in an authenticated activity (see EscalationActivities).
        trusted.Trust(channel.ServiceUrl);
        var parameters = new ConversationParameters
        {
            IsGroup = true,
            TenantId = channel.TenantId,
            ChannelData = JsonSerializer.SerializeToElement(new
            {
                channel = new { id = channel.ConversationId },
                team = channel.TeamId is null ? null : new { id = channel.TeamId },
                tenant = channel.TenantId is null ? null : new { id = channel.TenantId },
            }, ProtocolJson.Options),
            Activity = CardActivity(escalation, buyer),
        };
        var created = await connector.StartConversationAsync(channel.ServiceUrl, parameters, cancellationToken);
        var activityId = created.ActivityId ?? ThreadRoot(created.Id)
            ?? throw new ConnectorException(System.Net.HttpStatusCode.OK, null, "Teams created the thread but named no activity for its card.");
        return new PostedCard(ChannelId, channel.ServiceUrl, created.Id, activityId, channel.TeamId);
    }

    public async Task UpdateAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        var card = Posted(escalation);
        trusted.Trust(card.ServiceUrl);
        var activity = CardActivity(escalation, await BuyerAsync(escalation, cancellationToken));
        await connector.UpdateAsync(card.ServiceUrl, card.ConversationId, card.ActivityId, activity, cancellationToken);
    }

    public async Task ReplyInThreadAsync(Escalation escalation, string text, Person? mention, CancellationToken cancellationToken)
    {
        var card = Posted(escalation);
        trusted.Trust(card.ServiceUrl);
        var activity = new Activity { Type = ActivityTypes.Message, Text = text, TextFormat = "markdown" };
        if (mention is { Channel: ChannelId })
        {
            var name = mention.Name ?? mention.Email ?? "buyer";
            var tag = $"<at>{name}</at>";
            activity.Text = $"{tag} {text}";
            activity.Entities = [JsonSerializer.SerializeToElement(new { type = "mention", text = tag, mentioned = new { id = mention.UserId, name } })];
        }

        await connector.SendAsync(card.ServiceUrl, card.ConversationId, activity, cancellationToken);
    }

    public async Task<bool> IsTeamMemberAsync(PostedCard card, Actor actor, CancellationToken cancellationToken)
    {
        if (card.TeamId is null)
        {
            return false;
        }

        // Teams finds a member by AAD object id or by their Teams user id; 404 means not in the team.
        var memberId = actor.AadObjectId ?? actor.PersonId[(actor.PersonId.IndexOf(':', StringComparison.Ordinal) + 1)..];
        trusted.Trust(card.ServiceUrl);
        return await connector.GetMemberAsync(card.ServiceUrl, card.TeamId, memberId, cancellationToken) is not null;
    }

    /// <summary>The card as it stands now, @mentioning the purchase's buyer when the bot knows them.</summary>
    public async Task<AdaptiveCard> RenderAsync(Escalation escalation, string? notice, CancellationToken cancellationToken) =>
        EscalationCards.Card(escalation, await BuyerAsync(escalation, cancellationToken), notice);

    /// <summary>The channel a thread's conversation id belongs to: <c>19:…@thread.tacv2;messageid=1</c> → <c>19:…@thread.tacv2</c>.</summary>
    public static string ChannelOf(string conversationId)
    {
        var at = conversationId.IndexOf(MessageIdMarker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? conversationId : conversationId[..at];
    }

    private static string? ThreadRoot(string conversationId)
    {
        var at = conversationId.IndexOf(MessageIdMarker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : conversationId[(at + MessageIdMarker.Length)..];
    }

    private static PostedCard Posted(Escalation escalation) =>
        escalation.Card ?? throw new InvalidOperationException($"Escalation {escalation.Id} has no posted card.");

    private async Task<Person?> BuyerAsync(Escalation escalation, CancellationToken cancellationToken) =>
        escalation.Purchase?.BuyerEmail is { Length: > 0 } email ? await store.FindPersonByAddressAsync(email, cancellationToken) : null;

    private static Activity CardActivity(Escalation escalation, Person? buyer) =>
        ReplyRenderer.CardMessage(EscalationCards.Card(escalation, buyer), $"Escalation: {escalation.Supplier}");
}
