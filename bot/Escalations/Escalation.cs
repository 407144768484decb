using System.Text.Json.Serialization;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.Escalations;

/// <summary>
/// A problem that needs a person in procurement, from the first card to its resolution. The id
/// makes it exactly-once: <c>checkin:{checkInId}</c>, or <c>supplier:{supplier}:{window start}</c>.
/// </summary>
public sealed record Escalation
{
    public required string Id { get; init; }
    public required EscalationKind Kind { get; init; }
    public required string Supplier { get; init; }
    public required string Category { get; init; }

    /// <summary>The purchase whose check-in raised it (check-in escalations).</summary>
    public Purchase? Purchase { get; init; }
    public string? CheckInId { get; init; }
    public string? QuestionSetId { get; init; }

    /// <summary>Shown on the card unless the question set is anonymous.</summary>
    public string? RequesterName { get; init; }
    public string? RequesterEmail { get; init; }

    /// <summary>Who hears back on Resolve; kept even when anonymous, never shown.</summary>
    public string? RequesterPersonId { get; init; }

    public IReadOnlyList<EscalatedAnswer> Answers { get; init; } = [];
    public string? Comment { get; init; }
    public required IReadOnlyList<FiredRule> Rules { get; init; }
    public required Severity Severity { get; init; }

    /// <summary>For supplier trends: the check-ins that made up the trend.</summary>
    public IReadOnlyList<string> RelatedCheckIns { get; init; } = [];

    public required EscalationStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }
    public Actor? Owner { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }
    public string? ResolutionNote { get; init; }
    public IReadOnlyList<EscalationEvent> History { get; init; } = [];

    /// <summary>Counts every change people make; a card action names the revision it was clicked on.</summary>
    public int Revision { get; init; }

    /// <summary>The card in the procurement channel, once posted.</summary>
    public PostedCard? Card { get; init; }

    /// <summary>No channel was registered when it was raised; it is posted once one is.</summary>
    public bool AwaitingChannel { get; init; }
    public DateTimeOffset? AdminsToldAt { get; init; }
    public DateTimeOffset? ReminderSentAt { get; init; }
    public DateTimeOffset? OverdueSince { get; init; }

    /// <summary>When the background worker next has something to do with it (post, remind, mark overdue).</summary>
    public DateTimeOffset? NextActionAt { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Channel activities already applied, so a retried click is not applied twice.</summary>
    public IReadOnlyList<string> AppliedActionKeys { get; init; } = [];

    /// <summary>The store's concurrency token; not part of the document.</summary>
    [JsonIgnore]
    public string ETag { get; init; } = "";

    public bool HasApplied(string actionKey) => AppliedActionKeys.Contains(actionKey, StringComparer.Ordinal);

    public Escalation WithApplied(string actionKey) =>
        this with { AppliedActionKeys = [.. AppliedActionKeys.TakeLast(19), actionKey] };

    public static string IdForCheckIn(string checkInId) => $"checkin:{checkInId}";

    /// <summary>Whether it still names its requester (name, email, person id, or the purchase's requester email).</summary>
    [JsonIgnore]
    public bool NamesRequester =>
        RequesterName is not null || RequesterEmail is not null || RequesterPersonId is not null || Purchase is { RequesterEmail.Length: > 0 };

    /// <summary>
    /// The escalation as kept after its requester's data is erased: the purchase, answers and handling stay for
    /// procurement; nobody hears back on Resolve.
    /// </summary>
    public Escalation WithoutRequester() => this with
    {
        RequesterName = null,
        RequesterEmail = null,
        RequesterPersonId = null,
        Purchase = Purchase is null ? null : Purchase with { RequesterEmail = "" },
    };
}
