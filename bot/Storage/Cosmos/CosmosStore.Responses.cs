using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>Responses for the admin results, from the per-month response index (pk <c>responses:{yyyy-MM}</c>).</summary>
internal sealed partial class CosmosStore
{
    public async Task<ResponsePage> GetResponsesAsync(ResponseQuery query, CancellationToken cancellationToken)
    {
        var after = query.After;
        var pageSize = Math.Clamp(query.PageSize, 1, ResponseQuery.MaxPageSize);
        var from = query.From.ToUnixTimeMilliseconds();
        var to = query.To.ToUnixTimeMilliseconds();
        if (from >= to)
        {
            return new ResponsePage([], null);
        }

        var start = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(from, after?.At ?? from));
        var month = new DateTimeOffset(start.UtcDateTime.Year, start.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var page = new List<ProcurementBot.CheckIns.CheckIn>();
        for (; month.ToUnixTimeMilliseconds() < to && page.Count <= pageSize; month = month.AddMonths(1))
        {
            // One single-partition query per month; no ORDER BY (sorted here), filters in the SQL.
            var sql = "SELECT * FROM c WHERE c.pk = @pk AND c.type = @type AND c.doc.completedAt >= @from AND c.doc.completedAt < @to";
            var parameters = new List<(string, object)> { ("@type", Types.Response), ("@from", from), ("@to", to) };
            if (query.SupplierKey is { } supplier)
            {
                sql += " AND c.doc.supplierKey = @supplier";
                parameters.Add(("@supplier", supplier));
            }

            if (query.CategoryKey is { } category)
            {
                sql += " AND c.doc.categoryKey = @category";
                parameters.Add(("@category", category));
            }

            if (!string.IsNullOrWhiteSpace(query.PurchaseId))
            {
                sql += " AND c.doc.checkInId = @purchase";
                parameters.Add(("@purchase", query.PurchaseId.Trim()));
            }

            var entries = (await QueryAsync(Keys.Responses(month), sql, cancellationToken, [.. parameters]))
                .Select(f => f.As<ResponseEntry>())
                .Where(e => after is not { } a || e.CompletedAt > a.At || (e.CompletedAt == a.At && string.CompareOrdinal(e.CheckInId, a.Id) > 0))
                .OrderBy(e => e.CompletedAt).ThenBy(e => e.CheckInId, StringComparer.Ordinal);

            // The index is a hint: each check-in is read again and kept only while it is still a matching response.
            foreach (var entry in entries)
            {
                var checkIn = await GetCheckInAsync(entry.CheckInId, cancellationToken);
                if (checkIn is not null && query.Matches(checkIn) && checkIn.CompletedAt!.Value.ToUnixTimeMilliseconds() == entry.CompletedAt)
                {
                    page.Add(checkIn);
                    if (page.Count > pageSize)
                    {
                        break;
                    }
                }
            }
        }

        return page.Count > pageSize
            ? new ResponsePage(page[..pageSize], ResponseQuery.Encode(page[pageSize - 1]))
            : new ResponsePage(page, null);
    }
}
