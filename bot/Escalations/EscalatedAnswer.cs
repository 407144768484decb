namespace ProcurementBot.Escalations;

/// <summary>An answer as it was given, with its question's text, frozen into the escalation.</summary>
public sealed record EscalatedAnswer(string QuestionId, string Question, string Answer);
