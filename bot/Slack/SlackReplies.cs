using ProcurementBot.Admin;
using ProcurementBot.CheckIns;

namespace ProcurementBot.Slack;

/// <summary>
/// Says the core's replies in a Slack conversation: text and new cards with <c>chat.postMessage</c>, a card answered
/// in place and the read-only summary with <c>chat.update</c>. Every message carries its fallback text.
/// </summary>
public sealed class SlackReplies(SlackApiClient api, ILogger<SlackReplies> logger)
{
    /// <summary>Sends the replies in order; returns each one's message ts (the message it updated, for updates).</summary>
    public async Task<IReadOnlyList<string?>> SendAsync(string channel, IReadOnlyList<Reply> replies, CancellationToken cancellationToken)
    {
        var ids = new List<string?>(replies.Count);
        foreach (var reply in replies)
        {
            switch (reply)
            {
                case CheckInSummaryReply summary:
                    ids.Add(await UpdateAsync(channel, summary.MessageId, SlackCheckInBlocks.Summary(summary.Summary), cancellationToken));
                    break;
                case CheckInCardReply { ReplacesMessageId: { } ts } card:
                    ids.Add(await UpdateAsync(channel, ts, SlackCheckInBlocks.Questions(card.Card), cancellationToken));
                    break;
                default:
                    var content = Render(reply);
                    ids.Add((await api.PostMessageAsync(new SlackPost(channel, content.Text, content.Blocks), cancellationToken)).Ts);
                    break;
            }
        }

        return ids;
    }

    private static SlackContent Render(Reply reply) => reply switch
    {
        TextReply text => SlackCheckInBlocks.Text(text),
        CheckInCardReply card => SlackCheckInBlocks.Questions(card.Card),
        QuestionSetPreviewReply preview => SlackCheckInBlocks.Questions(preview.Card, $"Preview of {preview.SetId} v{preview.Version}: {preview.Card.Greeting}"),
        _ => throw new ArgumentOutOfRangeException(nameof(reply), reply.GetType().Name, "No Slack rendering for this reply."),
    };

    private async Task<string> UpdateAsync(string channel, string ts, SlackContent content, CancellationToken cancellationToken)
    {
        try
        {
            await api.UpdateMessageAsync(channel, ts, content.Text, content.Blocks, cancellationToken);
        }
        catch (SlackApiException ex) when (ex.Error is "message_not_found" or "cant_update_message" or "edit_window_closed" or "channel_not_found")
        {
            // The answers are stored; an old message that stays as it was is a cosmetic loss.
            logger.LogWarning("Could not update Slack message {Ts} in {Channel}: {Error}", ts, channel, ex.Error);
        }

        return ts;
    }
}
