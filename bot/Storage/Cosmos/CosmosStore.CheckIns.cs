using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// Check-ins (pk <c>checkin:{id}</c>, the truth), the requester index (pk <c>requester:{key}</c>) and the
/// due schedule (pk <c>due:{shard}</c>).
/// </summary>
internal sealed partial class CosmosStore
{
    public async Task<IReadOnlyList<string>> AddCheckInsAsync(IReadOnlyList<CheckIn> checkIns, CancellationToken cancellationToken)
    {
        var added = new List<string>();
        foreach (var checkIn in checkIns)
        {
            // Hints first: the requester's index, then the schedule entry. Created, never overwritten, so
            // adding again (which changes nothing) cannot move an existing check-in's due time.
            var indexed = false;
            await UpdateRequesterAsync(checkIn.RequesterKey, entries =>
            {
                indexed = !entries.Any(e => e.Id == checkIn.Id);
                return indexed ? [.. entries, EntryOf(checkIn, null)] : null;
            }, cancellationToken);
            var due = DueAt(checkIn);
            var dueHint = due is { } at
                ? await WriteHintAsync(Write.Create, checkIn.Id, Keys.Shard(Keys.Due, checkIn.Id), Types.Due, new ScheduleEntry(checkIn.Id, at.ToUnixTimeMilliseconds()), cancellationToken)
                : null;

            var created = await WriteAsync(Write.Create, checkIn.Id, Keys.CheckIn(checkIn.Id), Types.CheckIn, StoreJson.Serialize(checkIn), cancellationToken,
                ttl: IsClosed(checkIn.Status) ? RetentionTtl() : null);
            if (created is not null)
            {
                added.Add(checkIn.Id);
                if (due is { } dueAt && dueHint is null)
                {
                    // A leftover entry (from an intake that crashed before its create) may name another time.
                    await WriteHintAsync(Write.Upsert, checkIn.Id, Keys.Shard(Keys.Due, checkIn.Id), Types.Due, new ScheduleEntry(checkIn.Id, dueAt.ToUnixTimeMilliseconds()), cancellationToken);
                }

                continue;
            }

            // It existed: take back the hints this call made for it.
            if (dueHint is not null)
            {
                await DeleteAsync(checkIn.Id, Keys.Shard(Keys.Due, checkIn.Id), cancellationToken, dueHint);
            }

            if (indexed)
            {
                await UpdateRequesterAsync(checkIn.RequesterKey, entries => entries.Any(e => e.Id == checkIn.Id) ? [.. entries.Where(e => e.Id != checkIn.Id)] : null, cancellationToken);
            }
        }

        return added;
    }

    public async Task<CheckIn?> GetCheckInAsync(string id, CancellationToken cancellationToken) =>
        await ReadAsync(id, Keys.CheckIn(id), cancellationToken) is { } stored ? stored.As<CheckIn>() with { ETag = stored.ETag } : null;

    public async Task<CheckIn?> TryReplaceCheckInAsync(CheckIn checkIn, CancellationToken cancellationToken)
    {
        if (checkIn.ETag.Length == 0)
        {
            return null;
        }

        // Before: the requester index learns the new status (keeping the old one in Was), and a check-in
        // that will be due gets its schedule entry.
        RequesterEntry? before = null;
        var entry = EntryOf(checkIn, null);
        await UpdateRequesterAsync(checkIn.RequesterKey, entries =>
        {
            before = entries.FirstOrDefault(e => e.Id == checkIn.Id);
            entry = EntryOf(checkIn, before);
            if (before is not null && before with { Was = null } == entry)
            {
                return null;
            }

            var was = before is null || before.Status == entry.Status ? before?.Was : before.Status;
            return [.. entries.Where(e => e.Id != checkIn.Id), entry with { Was = was }];
        }, cancellationToken);
        if (DueAt(checkIn) is { } due && (checkIn.Status != CheckInStatus.InProgress || before is null || before.Status != CheckInStatus.InProgress || before.NudgeAt != checkIn.NudgeAt))
        {
            // Scheduled or sending: always (cheap, and repairs a lost entry); waiting for answers: when the nudge moved.
            await WriteHintAsync(Write.Upsert, checkIn.Id, Keys.Shard(Keys.Due, checkIn.Id), Types.Due, new ScheduleEntry(checkIn.Id, due.ToUnixTimeMilliseconds()), cancellationToken);
        }

        // A response enters its month's response index first (a hint: listing re-reads the check-in).
        if (ResponseQuery.IsResponse(checkIn))
        {
            var at = checkIn.CompletedAt!.Value;
            var hint = new ResponseEntry(checkIn.Id, SupplierSignals.KeyOf(checkIn.Purchase.Supplier), SupplierSignals.KeyOf(checkIn.Purchase.Category), at.ToUnixTimeMilliseconds());
            await WriteAsync(Write.Upsert, checkIn.Id, Keys.Responses(at), Types.Response, StoreJson.Serialize(hint), cancellationToken, inlineDoc: true, ttl: RetentionTtl());
        }

        // A check-in set aside as failed is listed for the admins (a hint: the listing re-reads each one).
        if (checkIn.Status == CheckInStatus.Failed)
        {
            await WriteAsync(Write.Upsert, checkIn.Id, Keys.Failed, Types.Failed, StoreJson.Serialize(new FailedEntry(checkIn.Id)), cancellationToken, inlineDoc: true, ttl: RetentionTtl());
        }

        // A finish still to be announced is scheduled for the sweep before the check-in says so (a hint: the sweep
        // re-reads the check-in, and drops the entry once the flag is cleared). Written whenever the flag is set
        // without a lease: cheap, and it repairs a lost entry.
        if (checkIn.FinishPending && checkIn.LeaseOwner is null)
        {
            var at = checkIn.LeaseUntil ?? clock.GetUtcNow();
            await WriteHintAsync(Write.Upsert, checkIn.Id, Keys.Shard(Keys.Finish, checkIn.Id), Types.Finish, new ScheduleEntry(checkIn.Id, at.ToUnixTimeMilliseconds()), cancellationToken);
        }

        var replaced = await ReplaceCheckInAsync(checkIn, cancellationToken);
        if (replaced is null)
        {
            return null;
        }

        if (before?.Status == CheckInStatus.Failed && checkIn.Status != CheckInStatus.Failed)
        {
            await DeleteAsync(checkIn.Id, Keys.Failed, cancellationToken);
        }

        // After: the index forgets the old status, and a check-in that is no longer due leaves the schedule.
        if (before?.Was is not null || (before is not null && before.Status != entry.Status))
        {
            await UpdateRequesterAsync(checkIn.RequesterKey, entries =>
                entries.FirstOrDefault(e => e.Id == checkIn.Id) is { Was: not null } current && current with { Was = null } == entry
                    ? [.. entries.Where(e => e.Id != checkIn.Id), entry]
                    : null,
                cancellationToken);
        }

        if (DueAt(checkIn) is null && (before is null || before.Status == CheckInStatus.Scheduled || before.Was == CheckInStatus.Scheduled || before.NudgeAt is not null))
        {
            await DeleteAsync(checkIn.Id, Keys.Shard(Keys.Due, checkIn.Id), cancellationToken);
        }

        return replaced;
    }

    public async Task<IReadOnlyList<CheckIn>> ClaimDueCheckInsAsync(
        DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) =>
        await ClaimScheduledAsync(Keys.Due, now, max,
            id => GetCheckInAsync(id, cancellationToken),
            checkIn => checkIn.NextWorkAt is not null,
            checkIn => checkIn.IsClaimable(now),
            // A claim leaves the index alone (Sending is indexed as Scheduled; one waiting for answers keeps its
            // status and only takes the lease) and the schedule entry too: its time is at or before the lease's
            // end, so a crashed sender's check-in is found again.
            checkIn => ReplaceCheckInAsync(
                checkIn with
                {
                    Status = checkIn.Status == CheckInStatus.InProgress ? CheckInStatus.InProgress : CheckInStatus.Sending,
                    LeaseOwner = owner,
                    LeaseUntil = leaseUntil,
                },
                cancellationToken),
            cancellationToken);

    public async Task<IReadOnlyList<CheckIn>> ClaimPendingFinishesAsync(
        DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) =>
        await ClaimScheduledAsync(Keys.Finish, now, max,
            id => GetCheckInAsync(id, cancellationToken),
            checkIn => checkIn.FinishPending,
            checkIn => checkIn.IsFinishClaimable(now),
            // The lease alone: the status, the index and the other schedules stay as they are.
            checkIn => ReplaceCheckInAsync(checkIn with { LeaseOwner = owner, LeaseUntil = leaseUntil }, cancellationToken),
            cancellationToken);

    public async Task<IReadOnlyList<CheckIn>> GetFailedCheckInsAsync(int max, CancellationToken cancellationToken)
    {
        var listed = await QueryAsync(Keys.Failed, "SELECT * FROM c WHERE c.pk = @pk AND c.type = @type", cancellationToken, ("@type", Types.Failed));
        var read = await Task.WhenAll(listed.Select(async f => (Hint: f, Id: f.As<FailedEntry>().CheckInId, CheckIn: await GetCheckInAsync(f.As<FailedEntry>().CheckInId, cancellationToken))));
        foreach (var (hint, id, _) in read.Where(r => r.CheckIn is not { Status: CheckInStatus.Failed }))
        {
            // Retried or erased since: the entry goes, unless it changed meanwhile.
            await DeleteAsync(id, Keys.Failed, cancellationToken, hint.ETag);
        }

        return [.. read.Select(r => r.CheckIn).OfType<CheckIn>().Where(c => c.Status == CheckInStatus.Failed)
            .OrderByDescending(c => c.DueAt).ThenBy(c => c.Id, StringComparer.Ordinal).Take(max)];
    }

    public async Task<IReadOnlyList<CheckIn>> GetCheckInsForRequesterAsync(
        string requesterKey, IReadOnlyCollection<CheckInStatus> statuses, CancellationToken cancellationToken, DateTimeOffset? dueFrom = null)
    {
        if (statuses.Count == 0)
        {
            return [];
        }

        // The index carries each due time, so only the check-ins asked for are read.
        var indexed = statuses.Select(Indexed).ToHashSet();
        var found = await ReadIndexedAsync(
            requesterKey,
            e => (dueFrom is null || e.DueAt >= dueFrom) && (indexed.Contains(e.Status) || (e.Was is { } was && indexed.Contains(was))),
            cancellationToken);
        return [.. found.Where(c => statuses.Contains(c.Status) && (dueFrom is null || c.DueAt >= dueFrom))];
    }

    public async Task<CheckIn?> FindOpenCheckInAsync(string requesterKey, string personId, CancellationToken cancellationToken)
    {
        var found = await ReadIndexedAsync(
            requesterKey,
            e => (e.Status == CheckInStatus.InProgress && e.PersonId == personId) || e.Was == CheckInStatus.InProgress || (e.Was is not null && e.Status == CheckInStatus.InProgress),
            cancellationToken);
        return found.FirstOrDefault(c => c.Status == CheckInStatus.InProgress && c.PersonId == personId);
    }

    /// <summary>
    /// The requester's check-ins whose index entry matches, read from their documents (the truth), oldest due
    /// first. Entries found stale on the way (gone, moved to another requester, other status) are repaired.
    /// </summary>
    private async Task<List<CheckIn>> ReadIndexedAsync(string requesterKey, Func<RequesterEntry, bool> candidate, CancellationToken cancellationToken)
    {
        var index = await ReadAsync(requesterKey, Keys.Requester(requesterKey), cancellationToken);
        var candidates = index?.As<RequesterIndex>().CheckIns.Where(candidate).ToList() ?? [];
        var read = await Task.WhenAll(candidates.Select(e => GetCheckInAsync(e.Id, cancellationToken)));

        var result = new List<CheckIn>();
        var repairs = new Dictionary<string, RequesterEntry?>(StringComparer.Ordinal);
        foreach (var (entry, checkIn) in candidates.Zip(read))
        {
            if (checkIn is null || checkIn.RequesterKey != requesterKey)
            {
                repairs[entry.Id] = null;
                continue;
            }

            result.Add(checkIn);
            if (EntryOf(checkIn, entry) != entry)
            {
                repairs[entry.Id] = EntryOf(checkIn, entry);
            }
        }

        if (repairs.Count > 0)
        {
            logger.LogInformation("Repairing {Count} stale entries of requester index {RequesterKey}", repairs.Count, LoggedPerson.Of(requesterKey));
            // Only entries still as they were read are repaired: a writer in between knows better.
            await UpdateRequesterAsync(requesterKey, entries =>
                entries.Any(e => repairs.ContainsKey(e.Id) && candidates.Contains(e))
                    ? [.. entries.Select(e => repairs.TryGetValue(e.Id, out var fix) && candidates.Contains(e) ? fix : e).OfType<RequesterEntry>()]
                    : null,
                cancellationToken);
        }

        return [.. result.OrderBy(c => c.DueAt).ThenBy(c => c.Id, StringComparer.Ordinal)];
    }

    private async Task<CheckIn?> ReplaceCheckInAsync(CheckIn checkIn, CancellationToken cancellationToken)
    {
        var etag = await WriteAsync(Write.Replace, checkIn.Id, Keys.CheckIn(checkIn.Id), Types.CheckIn, StoreJson.Serialize(checkIn), cancellationToken,
            ifMatch: checkIn.ETag, ttl: IsClosed(checkIn.Status) ? RetentionTtl() : null);
        return etag is null ? null : checkIn with { ETag = etag };
    }

    /// <summary>Changes the requester's index with its ETag; <paramref name="change"/> returns the new entries, or null for no change.</summary>
    /// <remarks>A write also drops closed entries whose retention has ended (their check-ins are gone by their ttl).</remarks>
    private Task UpdateRequesterAsync(string requesterKey, Func<IReadOnlyList<RequesterEntry>, IReadOnlyList<RequesterEntry>?> change, CancellationToken cancellationToken) =>
        UpdateAsync<RequesterIndex>(requesterKey, Keys.Requester(requesterKey), Types.Requester, index =>
        {
            var next = change(index?.CheckIns ?? []);
            var now = clock.GetUtcNow();
            return next is null ? null : new RequesterIndex([.. next.Where(e => e.Until is null || e.Until > now)]);
        }, cancellationToken);

    /// <summary>
    /// The index entry of a check-in. A closed one, with retention on, is kept until its retention ends:
    /// from <paramref name="before"/> if that was closed already, else from now.
    /// </summary>
    private RequesterEntry EntryOf(CheckIn checkIn, RequesterEntry? before) =>
        new(checkIn.Id, Indexed(checkIn.Status), checkIn.DueAt, checkIn.PersonId)
        {
            NudgeAt = checkIn.Status == CheckInStatus.InProgress ? checkIn.NudgeAt : null,
            Until = IsClosed(checkIn.Status) && RetentionTtl() is { } ttl ? before?.Until ?? clock.GetUtcNow().AddSeconds(ttl) : null,
        };

    /// <summary>
    /// The time of a check-in's schedule entry: due (scheduled), its lease ends (sending), its nudge (waiting for
    /// answers; at or before the end of any lease on it); null when it has no more scheduled work.
    /// </summary>
    private static DateTimeOffset? DueAt(CheckIn checkIn) => checkIn.Status switch
    {
        CheckInStatus.InProgress => checkIn.NudgeAt,
        _ => checkIn.NextWorkAt,
    };
}
