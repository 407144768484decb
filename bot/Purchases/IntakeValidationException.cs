namespace ProcurementBot.Purchases;

/// <summary>Thrown when any row of a batch is invalid; nothing of the batch is stored.</summary>
public sealed class IntakeValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The purchases are not valid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
