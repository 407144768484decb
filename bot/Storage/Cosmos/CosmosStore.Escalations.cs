using ProcurementBot.Escalations;
using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// Escalations (pk <c>escalation:{id}</c>), their schedule (<c>escdue:{shard}</c>), the list of those awaiting
/// a channel (pk <c>escalations</c>) and escalation channels (pk <c>channels</c>). Supplier signals are keyed
/// entities (CosmosStore.Keyed.cs).
/// </summary>
internal sealed partial class CosmosStore
{
    public async Task<bool> AddEscalationAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        // Hints first, created rather than overwritten: a second add must not move the first one's next action.
        var listed = escalation.AwaitingChannel && await AddAwaitingAsync(escalation.Id, cancellationToken);
        var nextHint = escalation.NextActionAt is { } next
            ? await WriteHintAsync(Write.Create, escalation.Id, Keys.Shard(Keys.EscalationDue, escalation.Id), Types.EscalationDue, new ScheduleEntry(escalation.Id, next.ToUnixTimeMilliseconds()), cancellationToken)
            : null;

        var created = await WriteAsync(Write.Create, escalation.Id, Keys.Escalation(escalation.Id), Types.Escalation, StoreJson.Serialize(escalation), cancellationToken);
        if (created is not null)
        {
            if (escalation.NextActionAt is { } at && nextHint is null)
            {
                await UpsertNextActionAsync(escalation.Id, at, cancellationToken);
            }

            return true;
        }

        if (nextHint is not null)
        {
            await DeleteAsync(escalation.Id, Keys.Shard(Keys.EscalationDue, escalation.Id), cancellationToken, nextHint);
        }

        if (listed)
        {
            await RemoveAwaitingAsync([escalation.Id], cancellationToken);
        }

        return false;
    }

    public async Task<Escalation?> GetEscalationAsync(string id, CancellationToken cancellationToken) =>
        await ReadAsync(id, Keys.Escalation(id), cancellationToken) is { } stored ? stored.As<Escalation>() with { ETag = stored.ETag } : null;

    public async Task<Escalation?> TryReplaceEscalationAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        if (escalation.ETag.Length == 0)
        {
            return null;
        }

        if (escalation.AwaitingChannel)
        {
            await AddAwaitingAsync(escalation.Id, cancellationToken);
        }

        if (escalation.NextActionAt is { } next)
        {
            await UpsertNextActionAsync(escalation.Id, next, cancellationToken);
        }

        var replaced = await ReplaceEscalationAsync(escalation, cancellationToken);
        if (replaced is null)
        {
            return null;
        }

        if (escalation.NextActionAt is null)
        {
            await DeleteAsync(escalation.Id, Keys.Shard(Keys.EscalationDue, escalation.Id), cancellationToken);
        }

        if (!escalation.AwaitingChannel)
        {
            await RemoveAwaitingAsync([escalation.Id], cancellationToken);
        }

        return replaced;
    }

    public async Task<IReadOnlyList<Escalation>> ClaimEscalationWorkAsync(
        DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) =>
        await ClaimScheduledAsync(Keys.EscalationDue, now, max,
            id => GetEscalationAsync(id, cancellationToken),
            escalation => escalation.NextActionAt is not null,
            escalation => escalation.NextActionAt <= now && (escalation.LeaseUntil is null || escalation.LeaseUntil <= now),
            escalation => ReplaceEscalationAsync(escalation with { LeaseOwner = owner, LeaseUntil = leaseUntil }, cancellationToken),
            cancellationToken);

    public async Task<IReadOnlyList<Escalation>> GetEscalationsAwaitingChannelAsync(CancellationToken cancellationToken)
    {
        var list = await ReadAsync(Keys.AwaitingId, Keys.Escalations, cancellationToken);
        var ids = list?.As<AwaitingList>().Ids ?? [];
        var read = await Task.WhenAll(ids.Select(id => GetEscalationAsync(id, cancellationToken)));
        var stale = ids.Zip(read).Where(p => p.Second is not { AwaitingChannel: true }).Select(p => p.First).ToList();
        if (stale.Count > 0)
        {
            await RemoveAwaitingAsync(stale, cancellationToken);
        }

        return [.. read.OfType<Escalation>().Where(e => e.AwaitingChannel).OrderBy(e => e.Id, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<EscalationDestination>> GetEscalationDestinationsAsync(CancellationToken cancellationToken) =>
        [.. (await QueryAsync(Keys.Channels, "SELECT * FROM c WHERE c.pk = @pk", cancellationToken))
            .Select(d => d.As<EscalationDestination>())
            .OrderBy(c => c.Category.Trim().ToLowerInvariant(), StringComparer.Ordinal)];

    public async Task SetEscalationDestinationAsync(EscalationDestination channel, CancellationToken cancellationToken) =>
        await WriteAsync(Write.Upsert, Keys.Channel(channel.Category), Keys.Channels, Types.Channel, StoreJson.Serialize(channel), cancellationToken);

    private async Task<Escalation?> ReplaceEscalationAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        var etag = await WriteAsync(Write.Replace, escalation.Id, Keys.Escalation(escalation.Id), Types.Escalation, StoreJson.Serialize(escalation), cancellationToken, ifMatch: escalation.ETag);
        return etag is null ? null : escalation with { ETag = etag };
    }

    private Task<string?> UpsertNextActionAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteHintAsync(Write.Upsert, id, Keys.Shard(Keys.EscalationDue, id), Types.EscalationDue, new ScheduleEntry(id, at.ToUnixTimeMilliseconds()), cancellationToken);

    /// <summary>Puts the id on the awaiting list; true if this call added it.</summary>
    private async Task<bool> AddAwaitingAsync(string id, CancellationToken cancellationToken)
    {
        var added = false;
        await UpdateAsync<AwaitingList>(Keys.AwaitingId, Keys.Escalations, Types.Awaiting, list =>
        {
            added = list?.Ids.Contains(id, StringComparer.Ordinal) != true;
            return added ? new AwaitingList([.. list?.Ids ?? [], id]) : null;
        }, cancellationToken);
        return added;
    }

    private Task RemoveAwaitingAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        UpdateAsync<AwaitingList>(Keys.AwaitingId, Keys.Escalations, Types.Awaiting, list =>
            list is not null && list.Ids.Any(ids.Contains) ? new AwaitingList([.. list.Ids.Where(id => !ids.Contains(id))]) : null,
            cancellationToken);
}
