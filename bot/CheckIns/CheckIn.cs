using System.Text.Json.Serialization;
using ProcurementBot.Purchases;
using ProcurementBot.Surveys;

namespace ProcurementBot.CheckIns;

[JsonConverter(typeof(JsonStringEnumConverter<CheckInStatus>))]
public enum CheckInStatus
{
    /// <summary>Waiting for its due time.</summary>
    Scheduled,

    /// <summary>Due, but the requester has not installed the bot yet.</summary>
    AwaitingContact,

    /// <summary>Claimed by one bot instance that is sending it now (see <see cref="CheckIn.LeaseUntil"/>).</summary>
    Sending,

    /// <summary>Sent; answers are coming in.</summary>
    InProgress,
    Completed,
    Stopped,
    Expired,

    /// <summary>Could not be delivered; <see cref="CheckIn.LastError"/> says why.</summary>
    Failed,
    OptedOut,
}

/// <summary>The check-in for one purchase: when it is due, where it went, and the answers.</summary>
public sealed record CheckIn
{
    /// <summary>The purchase id: one check-in per purchase.</summary>
    public required string Id { get; init; }
    public required Purchase Purchase { get; init; }

    /// <summary>Lower-cased requester email, how the requester is found.</summary>
    public required string RequesterKey { get; init; }
    public required string QuestionSetId { get; init; }
    public required int QuestionSetVersion { get; init; }
    public required CheckInStatus Status { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The person it was sent to.</summary>
    public string? PersonId { get; init; }

    /// <summary>The id of the card message with the open questions, to replace it once answered.</summary>
    public string? CardMessageId { get; init; }
    public IReadOnlyList<Answer> Answers { get; init; } = [];

    /// <summary>Channel activities already applied, so a retried activity is not stored twice.</summary>
    public IReadOnlyList<string> AppliedActivityIds { get; init; } = [];
    public int SendAttempts { get; init; }
    public string? LastError { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>The store's concurrency token; not part of the document.</summary>
    [JsonIgnore]
    public string ETag { get; init; } = "";

    [JsonIgnore]
    public bool IsOpen => Status is CheckInStatus.InProgress;

    public IReadOnlyDictionary<string, Answer> AnswersById() => Answers.ToDictionary(a => a.QuestionId, StringComparer.Ordinal);

    public bool HasApplied(string activityKey) => AppliedActivityIds.Contains(activityKey, StringComparer.Ordinal);

    /// <summary>Remembers an applied activity, keeping the last few.</summary>
    public CheckIn WithApplied(string activityKey) =>
        this with { AppliedActivityIds = [.. AppliedActivityIds.TakeLast(19), activityKey] };
}
