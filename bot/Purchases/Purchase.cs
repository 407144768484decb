namespace ProcurementBot.Purchases;

/// <summary>A delivered purchase, as the procurement system reports it.</summary>
public sealed record Purchase
{
    public required string PurchaseId { get; init; }
    public required string RequesterEmail { get; init; }
    public required string Supplier { get; init; }
    public required string Category { get; init; }
    public required string Description { get; init; }
    public required DateTimeOffset DeliveredAt { get; init; }
    public decimal? Amount { get; init; }
    public string? Currency { get; init; }
    public string? BuyerEmail { get; init; }

    /// <summary>When the caller wants the check-in sent, honoured exactly.</summary>
    public DateTimeOffset? CheckInAt { get; init; }
}
