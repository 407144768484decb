namespace ProcurementBot.Purchases;

/// <summary>A purchase as received, every field still text, so each can be judged and named on error.</summary>
/// <remarks><see cref="Problem"/> is set when the row could not even be split into fields.</remarks>
public sealed record PurchaseInput(string Where, IReadOnlyDictionary<string, string?> Fields, string? Problem = null);
