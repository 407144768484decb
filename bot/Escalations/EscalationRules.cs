using ProcurementBot.CheckIns;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.Escalations;

/// <summary>Which of a question set's escalation rules a completed check-in's answers meet.</summary>
public static class EscalationRules
{
    /// <summary>Rules that escalate this check-in itself.</summary>
    public static IReadOnlyList<EscalationRule> FiredFor(CheckIn checkIn, QuestionSet set)
    {
        var answers = checkIn.AnswersById();
        return [.. set.EscalationRules.Where(r => r.Trend is null && r.When is not null && r.When.IsSatisfiedBy(answers))];
    }

    /// <summary>Trend rules whose condition this check-in meets: it counts against its supplier.</summary>
    public static IReadOnlyList<EscalationRule> CountingTowardsTrend(CheckIn checkIn, QuestionSet set)
    {
        var answers = checkIn.AnswersById();
        return [.. set.EscalationRules.Where(r => r.Trend is not null && r.When is not null && r.When.IsSatisfiedBy(answers))];
    }

    public static FiredRule Describe(EscalationRule rule, QuestionSet set) =>
        new(rule.Id, rule.Severity, rule.Description ?? Sentence(rule.When, set));

    private static string Sentence(Condition when, QuestionSet set)
    {
        var question = set.FindQuestion(when.Question)?.Text ?? when.Question;
        return when switch
        {
            { AtMost: { } most } => $"\"{question}\" answered {most} or less",
            { AtLeast: { } least } => $"\"{question}\" answered {least} or more",
            { EqualsValue: { } value } => $"\"{question}\" answered \"{value}\"",
            { ContainsAny: { } words } => $"\"{question}\" mentions {string.Join(", ", words.Select(w => $"\"{w}\""))}",
            { Unanswered: true } => $"\"{question}\" left unanswered",
            _ => $"\"{question}\" answered",
        };
    }
}
