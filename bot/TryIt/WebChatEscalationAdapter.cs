using ProcurementBot.BotFramework;
using ProcurementBot.BotFramework.Cards;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Storage;

namespace ProcurementBot.TryIt;

/// <summary>
/// Escalation cards in the try-it page's procurement pane, a local Direct Line conversation. The card is
/// Teams' (<see cref="EscalationCards"/>) with Action.Submit for Action.Execute, which Web Chat lacks; a click
/// comes back as a message and <see cref="DirectLineEndpoints"/> turns it into the invoke Teams would send.
/// </summary>
internal sealed class WebChatEscalationAdapter(ConnectorClient connector, DirectLineConversations conversations, IProcurementStore store) : IEscalationAdapter
{
    /// <summary>Submit data naming the Universal Action the click stands for.</summary>
    public const string VerbField = "verb";

    public bool Handles(string channelId) => channelId == DirectLineConversations.ChannelId;

    public async Task<PostedCard> PostAsync(EscalationDestination channel, Escalation escalation, Person? buyer, CancellationToken cancellationToken)
    {
        var id = await connector.SendAsync(channel.ServiceUrl, channel.ConversationId, CardActivity(EscalationCards.Card(escalation, buyer)), cancellationToken)
            ?? throw new ConnectorException(System.Net.HttpStatusCode.OK, null, "The local Direct Line connector named no activity for the card.");
        return new PostedCard(DirectLineConversations.ChannelId, channel.ServiceUrl, channel.ConversationId, id, TeamId: null);
    }

    public async Task UpdateAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        var card = Posted(escalation);
        var activity = CardActivity(EscalationCards.Card(escalation, await BuyerAsync(escalation, cancellationToken)));
        await connector.UpdateAsync(card.ServiceUrl, card.ConversationId, card.ActivityId, activity, cancellationToken);
    }

    public async Task ReplyInThreadAsync(Escalation escalation, string text, Person? mention, CancellationToken cancellationToken)
    {
        var card = Posted(escalation);
        var activity = new Activity { Type = ActivityTypes.Message, Text = text, TextFormat = "markdown", ReplyToId = card.ActivityId };
        await connector.SendAsync(card.ServiceUrl, card.ConversationId, activity, cancellationToken);
    }

    /// <summary>The pane's own person is the procurement team here.</summary>
    public Task<bool> IsTeamMemberAsync(PostedCard card, Actor actor, CancellationToken cancellationToken) =>
        Task.FromResult(conversations.Get(card.ConversationId) is { } pane
            && actor.PersonId == Person.MakeId(DirectLineConversations.ChannelId, pane.User.Id!));

    /// <summary>Teams' card with each Action.Execute made an Action.Submit carrying its verb.</summary>
    public static AdaptiveCard ForWebChat(AdaptiveCard card) => card with
    {
        Actions = card.Actions?.Select(Submit).ToList(),
        Teams = null,
    };

    public static Activity CardActivity(AdaptiveCard card) => ReplyRenderer.CardMessage(ForWebChat(card), "Escalation");

    private static CardActionBase Submit(CardActionBase action) => action is ExecuteAction execute
        ? new SubmitAction
        {
            Title = execute.Title,
            Id = execute.Id,
            Style = execute.Style,
            AssociatedInputs = execute.AssociatedInputs,
            Data = new Dictionary<string, string>(execute.Data ?? new Dictionary<string, string>()) { [VerbField] = execute.Verb },
        }
        : action;

    private static PostedCard Posted(Escalation escalation) =>
        escalation.Card ?? throw new InvalidOperationException($"Escalation {escalation.Id} has no posted card.");

    private async Task<Person?> BuyerAsync(Escalation escalation, CancellationToken cancellationToken) =>
        escalation.Purchase?.BuyerEmail is { Length: > 0 } email ? await store.FindPersonByAddressAsync(email, cancellationToken) : null;
}
