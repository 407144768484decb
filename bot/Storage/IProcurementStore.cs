using ProcurementBot.CheckIns;
using ProcurementBot.People;
using ProcurementBot.Surveys;

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

    Task UpsertPersonAsync(Person person, CancellationToken cancellationToken);

    // Question sets
    Task<IReadOnlyList<QuestionSet>> GetCurrentQuestionSetsAsync(CancellationToken cancellationToken);

    Task<QuestionSet?> GetQuestionSetAsync(string id, int version, CancellationToken cancellationToken);

    /// <summary>Adds a version; false if that id and version already exist.</summary>
    Task<bool> AddQuestionSetVersionAsync(QuestionSet set, CancellationToken cancellationToken);

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
    /// Claims up to <paramref name="max"/> check-ins that are due (scheduled and due, or sending with an
    /// expired lease) for <paramref name="owner"/> until <paramref name="leaseUntil"/>. No two callers claim the same one.
    /// </summary>
    Task<IReadOnlyList<CheckIn>> ClaimDueCheckInsAsync(DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>
    /// The in-progress check-in of <paramref name="requesterKey"/> sent to <paramref name="personId"/> that is
    /// oldest due: the one a typed answer belongs to. One small read on the hot path of every typed turn.
    /// </summary>
    Task<CheckIn?> FindOpenCheckInAsync(string requesterKey, string personId, CancellationToken cancellationToken);

    /// <summary>The requester's check-ins in these states, oldest due first.</summary>
    Task<IReadOnlyList<CheckIn>> GetCheckInsForRequesterAsync(string requesterKey, IReadOnlyCollection<CheckInStatus> statuses, CancellationToken cancellationToken);
}
