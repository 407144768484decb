namespace ProcurementBot.QuestionSets;

/// <summary>A parsed answer before it is bound to a moment.</summary>
public readonly record struct ParsedValue(string Text, int? Number = null);
