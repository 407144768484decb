using ProcurementBot.QuestionSets;

namespace ProcurementBot.Escalations;

/// <summary>A rule that fired, as the card shows it.</summary>
public sealed record FiredRule(string RuleId, Severity Severity, string Description);
