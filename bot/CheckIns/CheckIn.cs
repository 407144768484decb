using System.Text.Json.Serialization;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.CheckIns;

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

    /// <summary>
    /// For a check-in waiting for answers: when it is next reminded, or expires once its reminders are used up.
    /// Null when nothing is planned.
    /// </summary>
    public DateTimeOffset? NudgeAt { get; init; }
    public int RemindersSent { get; init; }

    /// <summary>When a scheduled check-in was held back, why (outside working hours, another check-in open, the weekly cap).</summary>
    public string? HeldBack { get; init; }
    public string? LastError { get; init; }

    /// <summary>
    /// The outbox of a finished check-in: set in the same write that finishes it with answers, cleared once its
    /// escalations are raised, its supplier trends counted and its results recorded (<see cref="FinishedCheckIns"/>).
    /// A crash in between leaves it set, and the sweep does what is left; it is the only durable trace, since a
    /// single document write is all both stores make atomic.
    /// </summary>
    public bool FinishPending { get; init; }

    /// <summary>For a check-in being worked (sending, nudging, or its finish being announced): who holds it, and until when.</summary>
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>The store's concurrency token; not part of the document.</summary>
    [JsonIgnore]
    public string ETag { get; init; } = "";

    [JsonIgnore]
    public bool IsOpen => Status is CheckInStatus.InProgress;

    /// <summary>The caller gave <c>checkInAt</c>: sent exactly then, never shifted, held or capped.</summary>
    [JsonIgnore]
    public bool HasExplicitTime => Purchase.CheckInAt is not null;

    /// <summary>
    /// When a sender may next claim it, for the stores' schedules: a scheduled one when due, one being sent when
    /// its lease ends, one waiting for answers when it is to be nudged (or its lease ends); null when never.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? NextWorkAt => Status switch
    {
        CheckInStatus.Scheduled => DueAt,
        CheckInStatus.Sending => LeaseUntil ?? DueAt,
        CheckInStatus.InProgress when NudgeAt is { } nudge => LeaseUntil is { } lease && lease > nudge ? lease : nudge,
        _ => null,
    };

    /// <summary>Whether a sender may claim it at <paramref name="now"/>.</summary>
    public bool IsClaimable(DateTimeOffset now) => Status switch
    {
        CheckInStatus.Scheduled => DueAt <= now,
        CheckInStatus.Sending => LeaseUntil is null || LeaseUntil <= now,
        CheckInStatus.InProgress => NudgeAt <= now && (LeaseUntil is null || LeaseUntil <= now),
        _ => false,
    };

    /// <summary>Whether the sweep may claim its pending finish at <paramref name="now"/>.</summary>
    public bool IsFinishClaimable(DateTimeOffset now) => FinishPending && (LeaseUntil is null || LeaseUntil <= now);

    public IReadOnlyDictionary<string, Answer> AnswersById() => Answers.ToDictionary(a => a.QuestionId, StringComparer.Ordinal);

    public bool HasApplied(string activityKey) => AppliedActivityIds.Contains(activityKey, StringComparer.Ordinal);

    /// <summary>Remembers an applied activity, keeping the last few.</summary>
    public CheckIn WithApplied(string activityKey) =>
        this with { AppliedActivityIds = [.. AppliedActivityIds.TakeLast(19), activityKey] };
}
