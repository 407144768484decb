using ProcurementBot.QuestionSets;

namespace ProcurementBot.CheckIns;

public sealed record CardQuestion(Question Question, string Text, int Number);
