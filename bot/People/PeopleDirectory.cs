using ProcurementBot.CheckIns;
using ProcurementBot.Storage;
using ProcurementBot.Tenants;

namespace ProcurementBot.People;

/// <summary>Remembers who the bot can reach, and releases check-ins that were waiting for them.</summary>
public sealed class PeopleDirectory(IProcurementStore store, TenantPolicy tenants, TimeProvider clock, ILogger<PeopleDirectory> logger)
{
    public Task<Person?> GetAsync(string personId, CancellationToken cancellationToken) =>
        store.GetPersonAsync(personId, cancellationToken);

    /// <summary>
    /// The person a purchase, an admin list or a buyer field names by email or UPN, among the tenants and Slack teams
    /// the bot serves only (most recently seen first): an address says nothing about whose directory vouched for it.
    /// </summary>
    public async Task<Person?> FindByAddressAsync(string address, CancellationToken cancellationToken) =>
        (await store.FindPeopleByAddressAsync(address, cancellationToken)).FirstOrDefault(tenants.AllowsPerson);

    /// <summary>
    /// Stores what a channel just learnt about a person. Returns the stored person and whether
    /// this was the first contact.
    /// </summary>
    public async Task<(Person Person, bool IsNew)> RecordContactAsync(Person seen, CancellationToken cancellationToken) =>
        await RecordContactAsync(seen, await store.GetPersonAsync(seen.Id, cancellationToken), cancellationToken);

    /// <summary>As above, when the caller has just read the stored person (<paramref name="known"/>, null if new).</summary>
    public async Task<(Person Person, bool IsNew)> RecordContactAsync(Person seen, Person? known, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var zone = KnownZone(seen.TimeZone);
        var merged = known is null
            ? seen with { TimeZone = zone, FirstSeenAt = now, UpdatedAt = now }
            : known with
            {
                Name = seen.Name ?? known.Name,
                Email = seen.Email ?? known.Email,
                UserPrincipalName = seen.UserPrincipalName ?? known.UserPrincipalName,
                AadObjectId = seen.AadObjectId ?? known.AadObjectId,
                TenantId = seen.TenantId ?? known.TenantId,
                ServiceUrl = seen.ServiceUrl ?? known.ServiceUrl,
                ConversationId = seen.ConversationId ?? known.ConversationId,
                BotId = seen.BotId ?? known.BotId,
                BotName = seen.BotName ?? known.BotName,
                Locale = seen.Locale ?? known.Locale,
                TimeZone = zone ?? known.TimeZone,
                UpdatedAt = now,
            };

        if (known is null || merged with { UpdatedAt = known.UpdatedAt } != known)
        {
            await store.UpsertPersonAsync(merged, cancellationToken);
        }

        if (known is null || !known.Addresses().SequenceEqual(merged.Addresses()))
        {
            await ReleaseWaitingAsync(merged, now, cancellationToken);
        }

        if (known is null)
        {
            logger.LogInformation("New contact {PersonId} on {Channel} (address known: {HasAddress})", merged.Id, merged.Channel, merged.Addresses().Any());
        }

        return (merged, known is null);
    }

    /// <summary>A zone id a client reported, if this machine knows it: a wrong one must not replace a good one.</summary>
    private static string? KnownZone(string? id) => WorkingHours.TryFindZone(id, out _) ? id!.Trim() : null;

    /// <summary>Check-ins that fell due before the person installed the bot are due now.</summary>
    private async Task ReleaseWaitingAsync(Person person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var address in person.Addresses())
        {
            var waiting = await store.GetCheckInsForRequesterAsync(address, [CheckInStatus.AwaitingContact], cancellationToken);
            foreach (var checkIn in waiting)
            {
                if (await store.TryReplaceCheckInAsync(checkIn with { Status = CheckInStatus.Scheduled, DueAt = now }, cancellationToken) is not null)
                {
                    logger.LogInformation("Check-in {CheckInId} was waiting for {PersonId} to install the bot; it is due now", checkIn.Id, person.Id);
                }
            }
        }
    }
}
