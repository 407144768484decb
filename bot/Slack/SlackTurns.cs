using ProcurementBot.CheckIns;
using ProcurementBot.People;

namespace ProcurementBot.Slack;

/// <summary>The turn-error policy for Slack, as for Teams: log with context, tell the person briefly, never leave them hanging.</summary>
internal static class SlackTurns
{
    public static async Task RunAsync(
        SlackReplies replies, string channel, Person person, ILogger logger, Func<Task<IReadOnlyList<Reply>>> turn, CancellationToken cancellationToken)
    {
        IReadOnlyList<Reply> said;
        try
        {
            said = await turn();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Slack turn failed for {PersonId}", person.Id);
            said = [new TextReply(BotText.TurnError)];
        }

        await replies.SendAsync(channel, said, cancellationToken);
    }
}
