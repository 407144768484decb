using System.Text.Json.Nodes;
using ProcurementBot.Escalations;
using ProcurementBot.People;

namespace ProcurementBot.Slack;

/// <summary>
/// Who did something in Slack, as the escalation core knows actors: <c>slack:{user id}</c>, with the name and email
/// <c>users.info</c> gives (admins may be listed by either), else what the bot already knows, else the payload's handle.
/// </summary>
internal sealed class SlackEscalationActors(SlackApiClient slack, PeopleDirectory people, ILogger<SlackEscalationActors> logger)
{
    /// <summary>The actor behind a Slack interaction.</summary>
    /// <param name="userId">The Slack user id that acted.</param>
    /// <param name="user">The payload's <c>user</c> object (<c>id</c>, <c>name</c>, <c>username</c>, <c>team_id</c>), or null with <paramref name="userId"/>.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    /// <param name="teamId">The signed request's team, when the user's own is not known.</param>
    public async Task<Actor> ForAsync(string userId, JsonNode? user, CancellationToken cancellationToken, string? teamId = null)
    {
        var personId = Person.MakeId(SlackEscalationAdapter.ChannelId, userId);
        SlackUser? found = null;
        try
        {
            found = await slack.GetUserAsync(userId, cancellationToken);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            // The action still counts; the name falls back to what the bot knows.
            logger.LogWarning(ex, "Could not look up Slack user {UserId}", userId);
        }

        var known = found?.Name is null || found.Email is null ? await people.GetAsync(personId, cancellationToken) : null;
        var handle = SlackDirectMessages.Str(user, "name") ?? SlackDirectMessages.Str(user, "username");
        // The user's own team: a Slack Connect guest clicks in our workspace but belongs to theirs.
        var team = found?.TeamId ?? SlackDirectMessages.Str(user, "team_id") ?? teamId;
        return new Actor(personId, found?.Name ?? known?.Name ?? handle ?? userId, null, found?.Email ?? known?.Email, team);
    }
}
