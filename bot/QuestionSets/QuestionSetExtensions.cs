using ProcurementBot.Storage;

namespace ProcurementBot.QuestionSets;

public static class QuestionSetExtensions
{
    public static IServiceCollection AddQuestionSets(this IServiceCollection services)
    {
        services.AddSingleton<QuestionSetCatalog>();
        return services;
    }

    /// <summary>On first start, stores the question sets shipped in <c>QuestionSets/Seeded</c>.</summary>
    public static async Task SeedQuestionSetsAsync(IProcurementStore store, ILogger logger, CancellationToken cancellationToken)
    {
        if ((await store.GetCurrentQuestionSetsAsync(cancellationToken)).Count > 0)
        {
            return;
        }

        var folder = Path.Combine(AppContext.BaseDirectory, "QuestionSets", "Seeded");
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var set = StoreJson.Deserialize<QuestionSet>(await File.ReadAllTextAsync(file, cancellationToken));
            var errors = QuestionSetValidator.Validate(set);
            if (errors.Count > 0)
            {
                throw new InvalidDataException($"The seeded question set {Path.GetFileName(file)} is invalid: {string.Join("; ", errors)}");
            }

            await store.AddQuestionSetVersionAsync(set, cancellationToken);
            logger.LogInformation("Seeded question set {QuestionSetId} v{Version} ({Name})", set.Id, set.Version, set.Name);
        }
    }
}
