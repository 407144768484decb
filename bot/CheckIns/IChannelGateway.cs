using ProcurementBot.People;

namespace ProcurementBot.CheckIns;

/// <summary>Sends to a person's 1:1 chat on one channel. Implemented by the channel adapters.</summary>
public interface IChannelGateway
{
    bool CanReach(Person person);

    /// <summary>Sends the replies in order; returns the channel's message id of each (null where it has none).</summary>
    Task<IReadOnlyList<string?>> SendAsync(Person person, IReadOnlyList<Reply> replies, CancellationToken cancellationToken);
}
