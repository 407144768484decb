using ProcurementBot.Purchases;

namespace ProcurementBot.QuestionSets;

/// <summary>Where a person is in a question set, given the answers so far.</summary>
public static class QuestionSetProgress
{
    /// <summary>The questions that apply now: those without a condition, and follow-ups whose condition holds.</summary>
    public static IReadOnlyList<Question> Visible(QuestionSet set, IReadOnlyDictionary<string, Answer> answers) =>
        [.. set.Questions.Where(q => q.ShowIf is null || q.ShowIf.IsSatisfiedBy(answers))];

    public static IReadOnlyList<Question> Open(QuestionSet set, IReadOnlyDictionary<string, Answer> answers) =>
        [.. Visible(set, answers).Where(q => !answers.ContainsKey(q.Id))];

    public static Question? Next(QuestionSet set, IReadOnlyDictionary<string, Answer> answers) =>
        Visible(set, answers).FirstOrDefault(q => !answers.ContainsKey(q.Id));

    /// <summary>Fills <c>{supplier}</c>, <c>{description}</c>, <c>{category}</c> and <c>{purchaseId}</c>.</summary>
    public static string TextOf(Question question, Purchase purchase) => question.Text
        .Replace("{supplier}", purchase.Supplier, StringComparison.Ordinal)
        .Replace("{description}", purchase.Description, StringComparison.Ordinal)
        .Replace("{category}", purchase.Category, StringComparison.Ordinal)
        .Replace("{purchaseId}", purchase.PurchaseId, StringComparison.Ordinal);
}
