using ProcurementBot.People;

namespace ProcurementBot.Escalations;

/// <summary>Posts and maintains escalation cards in a procurement channel. Implemented by the channel adapters.</summary>
public interface IEscalationAdapter
{
    /// <summary>Whether this adapter serves the channel (a Bot Framework channel id such as "msteams").</summary>
    bool Handles(string channelId);

    /// <summary>Posts the card as a new thread, @mentioning the buyer when known.</summary>
    Task<PostedCard> PostAsync(EscalationDestination channel, Escalation escalation, Person? buyer, CancellationToken cancellationToken);

    /// <summary>Replaces the posted card with the escalation's current state, for everyone.</summary>
    Task UpdateAsync(Escalation escalation, CancellationToken cancellationToken);

    /// <summary>Says something in the escalation's thread (SLA reminders).</summary>
    Task ReplyInThreadAsync(Escalation escalation, string text, Person? mention, CancellationToken cancellationToken);

    /// <summary>Whether the actor is a member of the team the card was posted to.</summary>
    Task<bool> IsTeamMemberAsync(PostedCard card, Actor actor, CancellationToken cancellationToken);
}
