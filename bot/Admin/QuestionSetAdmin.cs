using ProcurementBot.QuestionSets;
using ProcurementBot.Storage;

namespace ProcurementBot.Admin;

/// <summary>What an admin may do to question sets, checked against the set itself and the other current sets.</summary>
public sealed class QuestionSetAdmin(IProcurementStore store, TimeProvider clock)
{
    /// <summary>The set's own errors, including whether its card fits Teams.</summary>
    public IReadOnlyList<ValidationError> Validate(QuestionSet set)
    {
        var errors = QuestionSetValidator.Validate(set).ToList();
        if (errors.Count == 0 && QuestionSetPreview.CheckSize(set, clock.GetUtcNow()) is { } tooLarge)
        {
            errors.Add(tooLarge);
        }

        return errors;
    }

    /// <summary>
    /// What the set would break among the current sets if it replaced its own current version: one default
    /// set, and each category claimed by one set.
    /// </summary>
    public async Task<IReadOnlyList<ValidationError>> ConflictsAsync(QuestionSet set, CancellationToken cancellationToken)
    {
        var current = await store.GetCurrentQuestionSetsAsync(cancellationToken);
        var others = current.Where(s => s.Id != set.Id).ToList();
        var errors = new List<ValidationError>();
        var otherDefault = others.FirstOrDefault(s => s.IsDefault);
        if (set.IsDefault && otherDefault is not null)
        {
            errors.Add(new("/isDefault", $"'{otherDefault.Id}' is already the default set and only one current set can be; clear its isDefault first."));
        }
        else if (!set.IsDefault && otherDefault is null && current.Any(s => s.Id == set.Id && s.IsDefault))
        {
            errors.Add(new("/isDefault", $"'{set.Id}' is the only default set; make another set the default first, or purchases in unclaimed categories get no check-in."));
        }

        for (var i = 0; i < set.Categories.Count; i++)
        {
            var category = set.Categories[i].Trim();
            if (others.FirstOrDefault(s => s.Categories.Contains(category, StringComparer.OrdinalIgnoreCase)) is { } claimant)
            {
                errors.Add(new($"/categories/{i}", $"The category '{category}' is claimed by both '{set.Id}' and '{claimant.Id}'; a category can belong to one set only."));
            }
        }

        return errors;
    }

    /// <summary>Why the set may not be archived, or null when it may.</summary>
    public async Task<string?> ArchiveRefusalAsync(string id, CancellationToken cancellationToken)
    {
        var current = await store.GetCurrentQuestionSetsAsync(cancellationToken);
        return current.FirstOrDefault(s => s.Id == id) is { IsDefault: true } && current.Count(s => s.IsDefault) == 1
            ? $"'{id}' is the only default set: purchases in categories no other set claims would get no check-in. Make another set the default first."
            : null;
    }

    public async Task<bool> IsArchivedAsync(string id, CancellationToken cancellationToken) =>
        (await store.GetArchivedQuestionSetsAsync(cancellationToken)).Any(s => s.Id == id);
}
