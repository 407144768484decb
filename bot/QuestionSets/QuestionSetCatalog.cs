using System.Collections.Concurrent;
using ProcurementBot.Storage;

namespace ProcurementBot.QuestionSets;

/// <summary>Finds question sets: the current one for a purchase category, or the exact version a check-in was sent with.</summary>
public sealed class QuestionSetCatalog(IProcurementStore store)
{
    // A published version never changes, so versions are cached for good.
    private readonly ConcurrentDictionary<(string, int), QuestionSet> _versions = new();

    public async Task<QuestionSet> GetAsync(string id, int version, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue((id, version), out var cached))
        {
            return cached;
        }

        var set = await store.GetQuestionSetAsync(id, version, cancellationToken)
            ?? throw new InvalidOperationException($"Question set {id} version {version} is missing from the store.");
        _versions[(id, version)] = set;
        return set;
    }

    public async Task<IReadOnlyList<QuestionSet>> GetCurrentAsync(CancellationToken cancellationToken) =>
        await store.GetCurrentQuestionSetsAsync(cancellationToken);

    /// <summary>The set whose categories name <paramref name="category"/>, else the default set.</summary>
    public static QuestionSet? ChooseFor(IReadOnlyList<QuestionSet> current, string category) =>
        current.FirstOrDefault(s => s.Categories.Contains(category.Trim(), StringComparer.OrdinalIgnoreCase))
        ?? current.FirstOrDefault(s => s.IsDefault);
}
