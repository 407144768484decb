using ProcurementBot.QuestionSets;

namespace ProcurementBot.Storage;

public static class StoreInitialization
{
    public static async Task InitializeStoreAsync(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<IProcurementStore>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ProcurementBot.Storage");
        await store.InitializeAsync(app.Lifetime.ApplicationStopping);
        await QuestionSetExtensions.SeedQuestionSetsAsync(store, logger, app.Lifetime.ApplicationStopping);
        logger.LogInformation("Store ready: {Store}", store);
    }
}
