using Microsoft.Extensions.Options;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>Runs <see cref="CosmosOptions.Validate"/> on start (ValidateOnStart), so a misconfigured store fails fast.</summary>
internal sealed class CosmosOptionsValidator : IValidateOptions<CosmosOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors);
    }
}
