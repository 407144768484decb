using System.Buffers.Text;
using System.Globalization;
using System.Text;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;

namespace ProcurementBot.Storage;

/// <summary>
/// Which finished check-ins (responses) to list: <see cref="CheckIn.CompletedAt"/> in [<see cref="From"/>, <see cref="To"/>),
/// optionally one purchase, supplier or category (case-insensitive, trimmed), <see cref="PageSize"/> at a time after
/// <see cref="Continuation"/> (from the previous <see cref="ResponsePage"/>).
/// </summary>
public sealed record ResponseQuery(DateTimeOffset From, DateTimeOffset To)
{
    public const int MaxPageSize = 500;

    public string? PurchaseId { get; init; }
    public string? Supplier { get; init; }
    public string? Category { get; init; }
    public int PageSize { get; init; } = 100;
    public string? Continuation { get; init; }

    /// <summary>A response: completed, or stopped after at least one answer, with a completion time.</summary>
    public static bool IsResponse(CheckIn checkIn) =>
        checkIn.CompletedAt is not null
        && (checkIn.Status == CheckInStatus.Completed || (checkIn.Status is CheckInStatus.Stopped or CheckInStatus.Expired && checkIn.Answers.Count > 0));

    /// <summary>The supplier filter as stored keys compare it (trimmed, lower-cased); null for none.</summary>
    public string? SupplierKey => Key(Supplier);

    public string? CategoryKey => Key(Category);

    /// <summary>Whether this response passes the filters (not the paging).</summary>
    public bool Matches(CheckIn checkIn) =>
        IsResponse(checkIn)
        && checkIn.CompletedAt >= From && checkIn.CompletedAt < To
        && (string.IsNullOrWhiteSpace(PurchaseId) || checkIn.Id == PurchaseId.Trim())
        && (SupplierKey is null || SupplierSignals.KeyOf(checkIn.Purchase.Supplier) == SupplierKey)
        && (CategoryKey is null || SupplierSignals.KeyOf(checkIn.Purchase.Category) == CategoryKey);

    /// <summary>The position after which the page starts (completion time in Unix ms, id); null from the start.</summary>
    public (long At, string Id)? After => Decode(Continuation);

    private static string? Key(string? value) => string.IsNullOrWhiteSpace(value) ? null : SupplierSignals.KeyOf(value);

    /// <summary>The token that continues after <paramref name="last"/>.</summary>
    public static string Encode(CheckIn last) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{last.CompletedAt!.Value.ToUnixTimeMilliseconds()}|{last.Id}")));

    /// <summary>The position a token names; throws <see cref="FormatException"/> for one that was not made here.</summary>
    public static (long At, string Id)? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var at))
            {
                return (at, text[(bar + 1)..]);
            }
        }
        catch (FormatException)
        {
        }

        throw new FormatException("The continuation token is not one this API returned.");
    }
}
