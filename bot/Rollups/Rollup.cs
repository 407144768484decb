using System.Globalization;
using System.Text.Json.Serialization;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.QuestionSets;

// Not "Results": a ProcurementBot.Results namespace would hide ASP.NET Core's static Results class
// (Results.Ok, Results.Problem) from every endpoint under ProcurementBot.*.
namespace ProcurementBot.Rollups;

/// <summary>
/// The results of one supplier or one purchase category in one calendar month (UTC), counted on write as
/// check-ins finish, so reading them is one point read instead of an aggregate over check-ins.
/// <para>
/// What counts: a check-in that completed, or stopped with at least one answer, counts once as a response.
/// Its answer to the set's first rating question (the satisfaction question) counts towards CSAT and the
/// average; its answer to the set's first NPS question towards NPS; its yes/no answer to the question
/// <c>onTime</c> towards on-time delivery. Skipped questions count nowhere but the response.
/// </para>
/// </summary>
public sealed record Rollup
{
    /// <summary>The yes/no question whose answers count as on-time delivery.</summary>
    public const string OnTimeQuestionId = "onTime";

    /// <summary><c>supplier:{supplierKey}:{yyyy-MM}</c> or <c>category:{categoryKey}:{yyyy-MM}</c>; see <see cref="KeyFor"/>.</summary>
    public required string Key { get; init; }
    public required RollupDimension Dimension { get; init; }

    /// <summary>The supplier or category as the first counted purchase spelled it.</summary>
    public required string Name { get; init; }

    /// <summary><c>yyyy-MM</c>, UTC.</summary>
    public required string Month { get; init; }

    /// <summary>Check-ins counted: completed, or stopped with answers.</summary>
    public int Responses { get; init; }

    /// <summary>Answers to the satisfaction (rating 1–5) question, their sum, and how many were 4 or 5.</summary>
    public int Ratings { get; init; }
    public int RatingSum { get; init; }
    public int Satisfied { get; init; }

    /// <summary>NPS answers: 9–10, 7–8 and 0–6.</summary>
    public int Promoters { get; init; }
    public int Passives { get; init; }
    public int Detractors { get; init; }

    /// <summary>Answers to the <c>onTime</c> yes/no question.</summary>
    public int OnTimeYes { get; init; }
    public int OnTimeNo { get; init; }

    /// <summary>Check-ins sent this month (the response rate's denominator); see <see cref="CountingSent"/>.</summary>
    public int Sent { get; init; }

    /// <summary>
    /// Check-ins that expired this month without being finished (with or without some answers; those with answers
    /// also count as responses). Counted once, by the instance whose expiry was saved.
    /// </summary>
    public int Expired { get; init; }

    /// <summary>The last <see cref="RememberedCheckIns"/> check-ins counted as sent, so a send saved twice counts once.</summary>
    public IReadOnlyList<string> SentCheckInIds { get; init; } = [];

    /// <summary>
    /// The escalations raised this month for this supplier (or category), by id, with where each stands now:
    /// set again on every change of the escalation, so the latest state wins and nothing is counted twice.
    /// </summary>
    public IReadOnlyDictionary<string, EscalationTally> Escalations { get; init; } = new Dictionary<string, EscalationTally>();

    /// <summary>
    /// The last <see cref="RememberedCheckIns"/> check-ins counted, so a retried finish is not counted twice.
    /// A channel retries within minutes; only if that many other responses for the same supplier (or
    /// category) arrived in between would a retry count again. Bounded, so the document stays small and
    /// each update cheap however busy the supplier.
    /// </summary>
    public IReadOnlyList<string> CheckInIds { get; init; } = [];

    public const int RememberedCheckIns = 1000;

    /// <summary>The store's concurrency token; not part of the document.</summary>
    [JsonIgnore]
    public string ETag { get; init; } = "";

    /// <summary>Share of ratings that were 4 or 5 (0–1); null without ratings.</summary>
    [JsonIgnore]
    public double? Csat => Ratings == 0 ? null : (double)Satisfied / Ratings;

    [JsonIgnore]
    public double? AverageRating => Ratings == 0 ? null : (double)RatingSum / Ratings;

    /// <summary>% promoters − % detractors (−100 to 100); null without NPS answers.</summary>
    [JsonIgnore]
    public double? Nps => Promoters + Passives + Detractors is var n and > 0 ? 100.0 * (Promoters - Detractors) / n : null;

    /// <summary>Responses per sent check-in (0–1); null when none was sent. Responses count in the month they came
    /// in and sends in the month they went out, so a month's rate can exceed 1 right after a month boundary.</summary>
    [JsonIgnore]
    public double? ResponseRate => Sent == 0 ? null : (double)Responses / Sent;

    /// <summary>Whether a finished check-in counts at all: completed, or stopped with answers.</summary>
    public static bool Counts(CheckIn checkIn) =>
        checkIn.Status == CheckInStatus.Completed || (checkIn.Status is CheckInStatus.Stopped or CheckInStatus.Expired && checkIn.Answers.Count > 0);

    /// <summary>The key of a supplier's or category's month; names are trimmed and lower-cased like <see cref="SupplierSignals.KeyOf"/>.</summary>
    public static string KeyFor(RollupDimension dimension, string name, string month) =>
        $"{(dimension == RollupDimension.Supplier ? "supplier" : "category")}:{SupplierSignals.KeyOf(name)}:{month}";

    public static string MonthOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static Rollup Empty(RollupDimension dimension, string name, string month) =>
        new() { Key = KeyFor(dimension, name, month), Dimension = dimension, Name = name.Trim(), Month = month };

    /// <summary>This rollup with the check-in counted in (the caller checks it is not counted yet).</summary>
    public Rollup Counting(CheckIn checkIn, QuestionSet set)
    {
        var answers = checkIn.AnswersById();
        var rating = NumberOf(answers, set.Questions.FirstOrDefault(q => q.Type == QuestionType.Rating));
        var nps = NumberOf(answers, set.Questions.FirstOrDefault(q => q.Type == QuestionType.Nps));
        var onTime = answers.TryGetValue(OnTimeQuestionId, out var a) && a is { Type: QuestionType.YesNo, Skipped: false } ? a.Value : null;
        return this with
        {
            Responses = Responses + 1,
            Ratings = Ratings + (rating is null ? 0 : 1),
            RatingSum = RatingSum + (rating ?? 0),
            Satisfied = Satisfied + (rating >= 4 ? 1 : 0),
            Promoters = Promoters + (nps >= 9 ? 1 : 0),
            Passives = Passives + (nps is 7 or 8 ? 1 : 0),
            Detractors = Detractors + (nps <= 6 ? 1 : 0),
            OnTimeYes = OnTimeYes + (onTime == "yes" ? 1 : 0),
            OnTimeNo = OnTimeNo + (onTime == "no" ? 1 : 0),
            CheckInIds = [.. CheckInIds.TakeLast(RememberedCheckIns - 1), checkIn.Id],
        };
    }

    /// <summary>This rollup with one more sent check-in, unless that check-in was counted as sent already.</summary>
    public Rollup CountingSent(CheckIn checkIn) =>
        SentCheckInIds.Contains(checkIn.Id, StringComparer.Ordinal)
            ? this
            : this with { Sent = Sent + 1, SentCheckInIds = [.. SentCheckInIds.TakeLast(RememberedCheckIns - 1), checkIn.Id] };

    /// <summary>This rollup with the escalation's current state; unchanged when it already says so.</summary>
    public Rollup Tallying(Escalation escalation)
    {
        var tally = TallyOf(escalation);
        return Escalations.TryGetValue(escalation.Id, out var known) && known == tally
            ? this
            : this with { Escalations = new Dictionary<string, EscalationTally>(Escalations, StringComparer.Ordinal) { [escalation.Id] = tally } };
    }

    public static EscalationTally TallyOf(Escalation escalation) => escalation switch
    {
        { Status: EscalationStatus.Resolved } => EscalationTally.Resolved,
        { OverdueSince: not null } => EscalationTally.Overdue,
        _ => EscalationTally.Open,
    };

    private static int? NumberOf(IReadOnlyDictionary<string, Answer> answers, Question? question) =>
        question is not null && answers.TryGetValue(question.Id, out var answer) && !answer.Skipped && answer.Type == question.Type ? answer.Number : null;
}
