using ProcurementBot.Admin;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// The admin audit log (pk <c>audit:{yyyy-MM}</c>, one partition per UTC month) and erasing a person, which
/// reaches everything through the documents that index it: the address, the person, the requester index.
/// </summary>
internal sealed partial class CosmosStore
{
    public async Task AddAuditEntryAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        await WriteAsync(Write.Create, entry.Id, Keys.Audit(entry.At), Types.Audit, StoreJson.Serialize(entry), cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> GetAuditEntriesAsync(DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken)
    {
        // One single-partition query per month, newest month first; ordered in memory (admin changes are few).
        var result = new List<AuditEntry>();
        var first = new DateTimeOffset(from.UtcDateTime.Year, from.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        for (var month = new DateTimeOffset(to.UtcDateTime.Year, to.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
             month >= first && result.Count < max;
             month = month.AddMonths(-1))
        {
            var found = await QueryAsync(Keys.Audit(month), "SELECT * FROM c WHERE c.pk = @pk", cancellationToken);
            result.AddRange(found.Select(d => d.As<AuditEntry>())
                .Where(e => e.At >= from && e.At <= to)
                .OrderByDescending(e => e.At).ThenByDescending(e => e.Id, StringComparer.Ordinal));
        }

        return [.. result.Take(max)];
    }

    public async Task<ErasureCounts> ErasePersonAsync(string address, CancellationToken cancellationToken)
    {
        var key = address.Trim().ToLowerInvariant();

        // The address document is a hint: only people who still have the address are theirs to erase.
        var people = new List<Person>();
        foreach (var entry in (await ReadAsync(key, Keys.Address(key), cancellationToken))?.As<AddressIndex>().People ?? [])
        {
            if (await GetPersonAsync(entry.PersonId, cancellationToken) is { } person && person.Addresses().Contains(key, StringComparer.Ordinal))
            {
                people.Add(person);
            }
        }

        var personIds = people.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var addresses = people.SelectMany(p => p.Addresses()).Append(key).ToHashSet(StringComparer.Ordinal);

        // Check-ins first (a crash leaves the person and addresses, so erasing again finds the rest), each one's
        // escalation anonymised before the check-in goes.
        var (checkIns, anonymised) = (0, 0);
        foreach (var requester in addresses)
        {
            var index = (await ReadAsync(requester, Keys.Requester(requester), cancellationToken))?.As<RequesterIndex>();
            foreach (var entry in index?.CheckIns ?? [])
            {
                if (await GetCheckInAsync(entry.Id, cancellationToken) is not { } checkIn || !addresses.Contains(checkIn.RequesterKey))
                {
                    continue;
                }

                anonymised += await AnonymiseEscalationAsync(Escalation.IdForCheckIn(checkIn.Id), cancellationToken) ? 1 : 0;
                await DeleteAsync(checkIn.Id, Keys.Shard(Keys.Due, checkIn.Id), cancellationToken);
                checkIns += await DeleteAsync(checkIn.Id, Keys.CheckIn(checkIn.Id), cancellationToken) ? 1 : 0;
            }

            if (index is not null)
            {
                await DeleteAsync(requester, Keys.Requester(requester), cancellationToken);
            }
        }

        // Then the other addresses, the people, and last the address they were found by.
        foreach (var other in addresses.Where(a => a != key))
        {
            await EraseAddressEntriesAsync(other, personIds, cancellationToken);
        }

        var erased = 0;
        foreach (var person in people)
        {
            erased += await DeleteAsync(person.Id, Keys.Person(person.Id), cancellationToken) ? 1 : 0;
        }

        await EraseAddressEntriesAsync(key, personIds, cancellationToken);
        return new ErasureCounts(erased, checkIns, anonymised);
    }

    /// <summary>Removes these people from the address's document, and the document (its id is the address) once nobody is left.</summary>
    private async Task EraseAddressEntriesAsync(string address, HashSet<string> personIds, CancellationToken cancellationToken)
    {
        while (await ReadAsync(address, Keys.Address(address), cancellationToken) is { } stored)
        {
            var left = stored.As<AddressIndex>().People.Where(p => !personIds.Contains(p.PersonId)).ToList();
            var done = left.Count == 0
                ? await DeleteAsync(address, Keys.Address(address), cancellationToken, stored.ETag)
                : await WriteHintAsync(Write.Replace, address, Keys.Address(address), Types.Address, new AddressIndex(left), cancellationToken, stored.ETag) is not null;
            if (done || left.Count == stored.As<AddressIndex>().People.Count)
            {
                return;
            }
        }
    }

    /// <summary>Blanks the requester in the escalation, again on a conflict; true if it named them.</summary>
    private async Task<bool> AnonymiseEscalationAsync(string id, CancellationToken cancellationToken)
    {
        while (await GetEscalationAsync(id, cancellationToken) is { NamesRequester: true } escalation)
        {
            if (await ReplaceEscalationAsync(escalation.WithoutRequester(), cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }
}
