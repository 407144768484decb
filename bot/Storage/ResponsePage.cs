using ProcurementBot.CheckIns;

namespace ProcurementBot.Storage;

/// <summary>A page of responses ordered by completion time then id; <see cref="Continuation"/> is null on the last page.</summary>
public sealed record ResponsePage(IReadOnlyList<CheckIn> Items, string? Continuation);
