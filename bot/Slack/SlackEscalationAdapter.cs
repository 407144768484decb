using System.Collections.Concurrent;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Storage;

namespace ProcurementBot.Slack;

/// <summary>
/// Escalations in a Slack channel: each one a new message with Block Kit, updated in place with <c>chat.update</c>,
/// SLA reminders in its thread. Whoever is a member of the channel may act on it.
/// </summary>
internal sealed class SlackEscalationAdapter(SlackApiClient slack, IProcurementStore store, TimeProvider clock) : IEscalationAdapter
{
    public const string ChannelId = "slack";

    /// <summary>
    /// How long a confirmed membership is believed. Only members are remembered: someone just added to the channel may act
    /// at once, someone just removed may still act for this long.
    /// </summary>
    private static readonly TimeSpan MembershipTtl = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<(string Channel, string User), DateTimeOffset> _members = new();

    public bool Handles(string channelId) => channelId == ChannelId;

    public async Task<PostedCard> PostAsync(EscalationDestination channel, Escalation escalation, Person? buyer, CancellationToken cancellationToken)
    {
        var (text, blocks) = SlackEscalationBlocks.Message(escalation, buyer);
        var posted = await slack.PostMessageAsync(new SlackPost(channel.ConversationId, text, blocks), cancellationToken);
        return new PostedCard(ChannelId, channel.ServiceUrl, posted.Channel, posted.Ts, channel.TeamId);
    }

    public async Task UpdateAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        var card = Posted(escalation);
        var (text, blocks) = SlackEscalationBlocks.Message(escalation, await BuyerAsync(escalation, cancellationToken));
        await slack.UpdateMessageAsync(card.ConversationId, card.ActivityId, text, blocks, cancellationToken);
    }

    public async Task ReplyInThreadAsync(Escalation escalation, string text, Person? mention, CancellationToken cancellationToken)
    {
        var card = Posted(escalation);
        var said = SlackEscalationBlocks.Escape(text.Replace("**", "*", StringComparison.Ordinal), SlackEscalationBlocks.MaxText);
        if (mention is { Channel: ChannelId })
        {
            said = $"<@{mention.UserId}> {said}";
        }

        await slack.PostMessageAsync(new SlackPost(card.ConversationId, said, ThreadTs: card.ActivityId), cancellationToken);
    }

    public async Task<bool> IsTeamMemberAsync(PostedCard card, Actor actor, CancellationToken cancellationToken)
    {
        const string prefix = ChannelId + ":";
        if (!actor.PersonId.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var key = (card.ConversationId, actor.PersonId[prefix.Length..]);
        var now = clock.GetUtcNow();
        if (_members.TryGetValue(key, out var until) && until > now)
        {
            return true;
        }

        if (!await slack.IsChannelMemberAsync(key.ConversationId, key.Item2, cancellationToken))
        {
            _members.TryRemove(key, out _);
            return false;
        }

        _members[key] = now + MembershipTtl;
        return true;
    }

    private static PostedCard Posted(Escalation escalation) =>
        escalation.Card ?? throw new InvalidOperationException($"Escalation {escalation.Id} has no posted message.");

    private async Task<Person?> BuyerAsync(Escalation escalation, CancellationToken cancellationToken) =>
        escalation.Purchase?.BuyerEmail is { Length: > 0 } email ? await store.FindPersonByAddressAsync(email, cancellationToken) : null;
}
