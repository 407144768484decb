using Microsoft.Extensions.Options;
using ProcurementBot.CheckIns;
using ProcurementBot.People;

namespace ProcurementBot.Slack;

/// <summary>Proactive messages to people in Slack: to their DM with the bot, opened when it is not known yet.</summary>
public sealed class SlackGateway(SlackApiClient api, SlackReplies messages, IOptions<SlackOptions> options, ILogger<SlackGateway> logger) : IChannelGateway
{
    // Errors retrying will not fix: the person left, the DM is gone, or the bot may not write to them.
    private static readonly HashSet<string> Permanent = new(StringComparer.Ordinal)
    {
        "channel_not_found", "is_archived", "account_inactive", "user_disabled", "user_not_found", "users_not_found",
        "cannot_dm_bot", "not_in_channel", "messages_tab_disabled", "restricted_action", "team_access_not_granted",
    };

    public bool CanReach(Person person) => person.Channel == SlackPeople.Channel && options.Value.Enabled;

    public async Task<IReadOnlyList<string?>> SendAsync(Person person, IReadOnlyList<Reply> replies, CancellationToken cancellationToken)
    {
        try
        {
            var channel = person.ConversationId ?? await api.OpenDirectMessageAsync(person.UserId, cancellationToken);
            return await messages.SendAsync(channel, replies, cancellationToken);
        }
        catch (SlackApiException ex) when (Permanent.Contains(ex.Error))
        {
            logger.LogWarning("Cannot message {PersonId} in Slack: {Error}", person.Id, ex.Error);
            throw new DeliveryException($"Slack refused the message ({ex.Method}: {ex.Error}).", permanent: true, ex);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            throw new DeliveryException(ex.Message, permanent: false, ex);
        }
    }
}
