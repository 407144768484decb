namespace ProcurementBot.Escalations;

public enum ActOutcome
{
    Applied,
    AlreadyApplied,

    /// <summary>Someone acted first; the result carries the current state.</summary>
    Stale,
    NotAllowed,
    Invalid,
    NotFound,
}
