using Microsoft.Extensions.Options;

namespace ProcurementBot.Storage;

/// <summary>Runs <see cref="StorageOptions.Validate"/> on start.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
