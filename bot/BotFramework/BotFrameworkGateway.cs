using System.Net;
using System.Text.Json;
using ProcurementBot.CheckIns;
using ProcurementBot.People;

namespace ProcurementBot.BotFramework;

/// <summary>Proactive messages to people reached through the Bot Framework (Teams, Emulator, Web Chat).</summary>
internal sealed class BotFrameworkGateway(ConnectorClient connector, TrustedServiceUrls trusted, ILogger<BotFrameworkGateway> logger) : IChannelGateway
{
    public bool CanReach(Person person) =>
        person.Channel != "slack" && person.ServiceUrl is not null && (person.ConversationId is not null || person.Channel == "msteams");

    public async Task<IReadOnlyList<string?>> SendAsync(Person person, IReadOnlyList<Reply> replies, CancellationToken cancellationToken)
    {
        // The stored service URL came from an authenticated activity (see ActivityProcessor).
        var serviceUrl = person.ServiceUrl!;
        trusted.Trust(serviceUrl);
        try
        {
            var conversationId = person.ConversationId ?? await CreatePersonalChatAsync(person, serviceUrl, cancellationToken);
            var ids = new List<string?>(replies.Count);
            foreach (var reply in replies)
            {
                var activity = ReplyRenderer.Message(reply, person.Channel, person.UserId);
                activity.From = person.BotId is null ? null : new ChannelAccount { Id = person.BotId, Name = person.BotName };
                activity.Recipient = new ChannelAccount { Id = person.UserId, Name = person.Name };
                activity.Conversation = new ConversationAccount { Id = conversationId };
                if (reply is CheckInSummaryReply summary)
                {
                    await connector.UpdateAsync(serviceUrl, conversationId, summary.MessageId, activity, cancellationToken);
                    ids.Add(summary.MessageId);
                }
                else
                {
                    ids.Add(await connector.SendAsync(serviceUrl, conversationId, activity, cancellationToken));
                }
            }

            return ids;
        }
        catch (ConnectorException ex) when (ex.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized)
        {
            // 403 MessageWritesBlocked: the person blocked or removed the bot; 404: the chat is gone.
            logger.LogWarning("Cannot message {PersonId}: {Status} {Code}", person.Id, (int)ex.Status, ex.Code);
            throw new DeliveryException($"The channel refused the message ({(int)ex.Status} {ex.Code}): {ex.Message}", permanent: true, ex);
        }
        catch (ConnectorException ex)
        {
            throw new DeliveryException(ex.Message, permanent: false, ex);
        }
    }

    private async Task<string> CreatePersonalChatAsync(Person person, string serviceUrl, CancellationToken cancellationToken)
    {
        var parameters = new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount { Id = person.BotId },
            Members = [new ChannelAccount { Id = person.UserId }],
            TenantId = person.TenantId,
            ChannelData = JsonSerializer.SerializeToElement(new { tenant = new { id = person.TenantId } }),
        };
        return await connector.CreateConversationAsync(serviceUrl, parameters, cancellationToken);
    }
}
