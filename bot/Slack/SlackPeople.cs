using Microsoft.Extensions.Options;
using ProcurementBot.People;
using ProcurementBot.Storage;
using ProcurementBot.Tenants;

namespace ProcurementBot.Slack;

/// <summary>
/// Who people are in Slack. A purchase for an address nobody wrote from is looked up with <c>users.lookupByEmail</c>,
/// the bot's DM with them opened with <c>conversations.open</c>, and the person stored; someone who writes first is
/// stored from <c>users.info</c>. Stored people are reused; their Slack profile (time zone, name, email) is read again
/// when the stored copy is more than <see cref="RefreshAfter"/> old, so a move to another time zone is noticed
/// within a day without a Web API call on every message.
/// </summary>
public sealed class SlackPeople(
    SlackApiClient api, PeopleDirectory people, IProcurementStore store, IOptions<SlackOptions> options, TenantPolicy tenants, TimeProvider clock, ILogger<SlackPeople> logger)
    : IDirectoryLookup
{
    public const string Channel = "slack";
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromDays(1);

    public async Task<Person?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        var user = await api.LookupUserByEmailAsync(email, cancellationToken);
        if (user is null || user.IsBot || user.Deleted)
        {
            return null;
        }

        // An Enterprise Grid org answers for all its workspaces: a purchase reaches only the workspaces the bot serves.
        if (!tenants.AllowsSlackTeam(user.TeamId))
        {
            logger.LogWarning("users.lookupByEmail found Slack user {UserId} of team {TeamId}, not in Slack:AllowedTeams; not used", user.Id, user.TeamId);
            return null;
        }

        var dm = await api.OpenDirectMessageAsync(user.Id, cancellationToken);

        // users.lookupByEmail usually carries the time zone already; users.info is asked only when it does not.
        var full = user.TimeZone is null ? await api.GetUserAsync(user.Id, cancellationToken) ?? user : user;
        var (person, _) = await people.RecordContactAsync(PersonOf(full, user.TeamId, dm) with { Email = full.Email ?? email }, cancellationToken);
        logger.LogInformation("Found {PersonId} in Slack by email; their DM is {Channel}", person.Id, dm);
        return person;
    }

    /// <summary>The person behind a Slack user id who just wrote or clicked in <paramref name="dmChannel"/> (null: not a DM).</summary>
    public async Task<Person> RecognizeAsync(string? teamId, string userId, string? dmChannel, CancellationToken cancellationToken)
    {
        var id = Person.MakeId(Channel, userId);
        var known = await people.GetAsync(id, cancellationToken);
        var stale = known is null || known.Email is null || clock.GetUtcNow() - known.UpdatedAt > RefreshAfter;
        SlackUser? user = null;
        if (stale)
        {
            try
            {
                user = await api.GetUserAsync(userId, cancellationToken);
            }
            catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
            {
                logger.LogWarning(ex, "users.info for {PersonId} failed; purchases cannot reach them by email until it succeeds", id);
            }
        }

        if (user is not null && !tenants.AllowsSlackTeam(user.TeamId ?? teamId))
        {
            logger.LogWarning("users.info for {PersonId} reported team {TeamId}, not in Slack:AllowedTeams; its email is not used", id, user.TeamId);
            user = null;
        }

        if (known is not null && user is null && (dmChannel is null || known.ConversationId == dmChannel))
        {
            return known;
        }

        var seen = user is null
            ? new Person { Id = id, Channel = Channel, UserId = userId, TenantId = teamId, ConversationId = dmChannel, FirstSeenAt = default, UpdatedAt = default }
            : PersonOf(user, teamId, dmChannel);
        var (person, _) = await people.RecordContactAsync(seen, known, cancellationToken);
        if (known is not null && user is not null && person.UpdatedAt == known.UpdatedAt)
        {
            // Nothing changed in Slack: note that it was checked, so the next message does not ask again for a day.
            person = person with { UpdatedAt = clock.GetUtcNow() };
            await store.UpsertPersonAsync(person, cancellationToken);
        }

        return person;
    }

    private static Person PersonOf(SlackUser user, string? teamId, string? dmChannel) => new()
    {
        Id = Person.MakeId(Channel, user.Id),
        Channel = Channel,
        UserId = user.Id,
        Name = user.Name,
        Email = user.Email?.Trim().ToLowerInvariant(),
        TenantId = user.TeamId ?? teamId,
        ConversationId = dmChannel,
        TimeZone = user.TimeZone,
        FirstSeenAt = default,
        UpdatedAt = default,
    };
}
