using ProcurementBot.Admin;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.QuestionSets;
using ProcurementBot.Rollups;
using ProcurementBot.Slack;

namespace ProcurementBot.Storage;

/// <summary>
/// The one storage port. Operations are point reads and writes or queries within one person's or
/// one purchase's data, so a partitioned document store can serve them cheaply. Every update is
/// conditional on the <see cref="CheckIn.ETag"/> it read.
/// </summary>
public interface IProcurementStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<bool> PingAsync(CancellationToken cancellationToken);

    // People
    Task<Person?> GetPersonAsync(string personId, CancellationToken cancellationToken);

    /// <summary>The person with this email or UPN (case-insensitive), most recently seen first.</summary>
    Task<Person?> FindPersonByAddressAsync(string address, CancellationToken cancellationToken);

    /// <summary>Everyone with this email or UPN (case-insensitive), most recently seen first: the caller picks among tenants.</summary>
    Task<IReadOnlyList<Person>> FindPeopleByAddressAsync(string address, CancellationToken cancellationToken);

    Task UpsertPersonAsync(Person person, CancellationToken cancellationToken);

    // Question sets
    Task<IReadOnlyList<QuestionSet>> GetCurrentQuestionSetsAsync(CancellationToken cancellationToken);

    Task<QuestionSet?> GetQuestionSetAsync(string id, int version, CancellationToken cancellationToken);

    /// <summary>Adds a version; false if that id and version already exist.</summary>
    Task<bool> AddQuestionSetVersionAsync(QuestionSet set, CancellationToken cancellationToken);

    /// <summary>Every stored version of one set, oldest first; empty for an unknown id.</summary>
    Task<IReadOnlyList<QuestionSet>> GetQuestionSetVersionsAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the set out of the current ones; its versions stay readable for the check-ins sent with them,
    /// and a version added later makes it current again. False for an unknown id.
    /// </summary>
    Task<bool> ArchiveQuestionSetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The latest version of each archived set, ordered by id.</summary>
    Task<IReadOnlyList<QuestionSet>> GetArchivedQuestionSetsAsync(CancellationToken cancellationToken);

    // Check-ins
    /// <summary>
    /// Adds all check-ins whose id is new and leaves existing ones untouched (idempotent intake).
    /// Returns the ids that were new.
    /// </summary>
    Task<IReadOnlyList<string>> AddCheckInsAsync(IReadOnlyList<CheckIn> checkIns, CancellationToken cancellationToken);

    Task<CheckIn?> GetCheckInAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the check-in if its stored ETag still equals <paramref name="checkIn"/>'s; returns the new version, or null on conflict.</summary>
    Task<CheckIn?> TryReplaceCheckInAsync(CheckIn checkIn, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> check-ins with work due (<see cref="CheckIn.IsClaimable"/>: scheduled and
    /// due, sending with an expired lease, or waiting for answers and due a reminder or expiry) for <paramref name="owner"/>
    /// until <paramref name="leaseUntil"/>, soonest first. A scheduled one is claimed as Sending; one waiting for answers
    /// stays InProgress with the lease. No two callers claim the same one.
    /// </summary>
    Task<IReadOnlyList<CheckIn>> ClaimDueCheckInsAsync(DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> finished check-ins whose finish is still to be announced
    /// (<see cref="CheckIn.IsFinishClaimable"/>: <see cref="CheckIn.FinishPending"/> set, no lease or an expired one)
    /// for <paramref name="owner"/> until <paramref name="leaseUntil"/>; the status stays as it is. No two callers
    /// claim the same one. The caller clears the flag and the lease with <see cref="TryReplaceCheckInAsync"/>.
    /// </summary>
    Task<IReadOnlyList<CheckIn>> ClaimPendingFinishesAsync(DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>
    /// The in-progress check-in of <paramref name="requesterKey"/> sent to <paramref name="personId"/> that is
    /// oldest due: the one a typed answer belongs to. One small read on the hot path of every typed turn.
    /// </summary>
    Task<CheckIn?> FindOpenCheckInAsync(string requesterKey, string personId, CancellationToken cancellationToken);

    /// <summary>Check-ins set aside as <see cref="CheckInStatus.Failed"/> (with their last error), most recently due first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<CheckIn>> GetFailedCheckInsAsync(int max, CancellationToken cancellationToken);

    /// <summary>The requester's check-ins in these states, oldest due first; only those due at or after <paramref name="dueFrom"/> when given.</summary>
    Task<IReadOnlyList<CheckIn>> GetCheckInsForRequesterAsync(
        string requesterKey, IReadOnlyCollection<CheckInStatus> statuses, CancellationToken cancellationToken, DateTimeOffset? dueFrom = null);

    // Escalations
    /// <summary>Adds the escalation unless one with its id exists (exactly once per check-in); false if it existed.</summary>
    Task<bool> AddEscalationAsync(Escalation escalation, CancellationToken cancellationToken);

    Task<Escalation?> GetEscalationAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the escalation if its stored ETag still equals <paramref name="escalation"/>'s; returns the new version, or null on conflict.</summary>
    Task<Escalation?> TryReplaceEscalationAsync(Escalation escalation, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> escalations whose <see cref="Escalation.NextActionAt"/> has come and
    /// whose lease (if any) has ended, for <paramref name="owner"/> until <paramref name="leaseUntil"/>.
    /// </summary>
    Task<IReadOnlyList<Escalation>> ClaimEscalationWorkAsync(DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>Escalations raised while no channel was registered for them.</summary>
    Task<IReadOnlyList<Escalation>> GetEscalationsAwaitingChannelAsync(CancellationToken cancellationToken);

    /// <summary>Every registered escalation channel: the default (empty category) and per-category ones.</summary>
    Task<IReadOnlyList<EscalationDestination>> GetEscalationDestinationsAsync(CancellationToken cancellationToken);

    /// <summary>Registers the channel for its category, replacing an earlier registration of that category.</summary>
    Task SetEscalationDestinationAsync(EscalationDestination channel, CancellationToken cancellationToken);

    Task<SupplierSignals?> GetSupplierSignalsAsync(string supplierKey, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a supplier's signals: inserts when <see cref="SupplierSignals.ETag"/> is empty (null if someone
    /// else inserted first), otherwise replaces only if unchanged (null on conflict).
    /// </summary>
    Task<SupplierSignals?> TrySaveSupplierSignalsAsync(SupplierSignals signals, CancellationToken cancellationToken);

    // Results
    /// <summary>The rollup with this key (<see cref="Rollup.KeyFor"/>); null before its first response.</summary>
    Task<Rollup?> GetRollupAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a rollup: inserts when <see cref="Rollup.ETag"/> is empty (null if someone else inserted first),
    /// otherwise replaces only if unchanged (null on conflict).
    /// </summary>
    Task<Rollup?> TrySaveRollupAsync(Rollup rollup, CancellationToken cancellationToken);

    /// <summary>Every rollup of one month (<c>yyyy-MM</c>), suppliers and categories, ordered by key.</summary>
    Task<IReadOnlyList<Rollup>> GetRollupsAsync(string month, CancellationToken cancellationToken);

    /// <summary>
    /// Responses (<see cref="ResponseQuery.IsResponse"/>) matching <paramref name="query"/>, ordered by completion time
    /// then id, at most <see cref="ResponseQuery.PageSize"/>, with a token for the next page. A token not made by
    /// this method throws <see cref="FormatException"/>.
    /// </summary>
    Task<ResponsePage> GetResponsesAsync(ResponseQuery query, CancellationToken cancellationToken);

    // Admin
    Task AddAuditEntryAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries with <paramref name="from"/> &lt;= At &lt;= <paramref name="to"/>, newest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditEntriesAsync(DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Erases the people who have this email or UPN (and the addresses they are found by), every check-in
    /// requested under any of their addresses with its answers, and the requester's name, email and person id
    /// in the escalations of those check-ins (kept, anonymised, for procurement). Erasing again finds nothing.
    /// </summary>
    Task<ErasureCounts> ErasePersonAsync(string address, CancellationToken cancellationToken);

    // Slack inbox
    /// <summary>
    /// Stores an event or click Slack is about to be told was received, unless an item with its id is stored (a retry,
    /// a duplicate delivery, or one done within <see cref="SlackItem.KeptDone"/>): false then, and nothing changes.
    /// </summary>
    Task<bool> TryAddSlackItemAsync(SlackItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> items for <paramref name="owner"/> until <paramref name="leaseUntil"/>, oldest
    /// first: each one claimable (<see cref="SlackItem.IsClaimable"/>) and the oldest item of its lane that is not done
    /// (by <see cref="SlackItem.Sequence"/>, then id), with no other item of its lane leased, so a lane's items are
    /// handled one after another in order and a failing one holds back the later ones of its lane only. No two callers
    /// claim the same item. Each claimed item is stored as <see cref="SlackItem.Leased"/> makes it (a lease that ran out
    /// counts a lapse).
    /// </summary>
    Task<IReadOnlyList<SlackItem>> ClaimSlackItemsAsync(DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>Replaces the item if its stored ETag still equals <paramref name="item"/>'s; returns the new version, or null on conflict.</summary>
    Task<SlackItem?> TryReplaceSlackItemAsync(SlackItem item, CancellationToken cancellationToken);

    /// <summary>How many stored items are not done (queued, leased, or waiting to be tried again).</summary>
    Task<int> CountUnfinishedSlackItemsAsync(CancellationToken cancellationToken);

    // Instances
    /// <summary>
    /// Records that the bot instance <paramref name="instanceId"/> is alive until <paramref name="until"/>, replacing
    /// its earlier heartbeat; a heartbeat until now or earlier takes it out of the live ones (a clean stop).
    /// </summary>
    Task HeartbeatAsync(string instanceId, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>The ids of the instances whose last heartbeat lasts beyond <paramref name="now"/>, in ordinal order.</summary>
    Task<IReadOnlyList<string>> GetLiveInstancesAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
