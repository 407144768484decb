using System.Globalization;
using System.Net.Mail;
using ProcurementBot.CheckIns;
using ProcurementBot.Http;
using ProcurementBot.QuestionSets;
using ProcurementBot.Storage;

namespace ProcurementBot.Purchases;

/// <summary>Turns delivered purchases into scheduled check-ins, idempotently on the purchase id.</summary>
public sealed class PurchaseIntake(IProcurementStore store, QuestionSetCatalog catalog, TimeProvider clock, ILogger<PurchaseIntake> logger)
{
    public static readonly string[] KnownFields =
        ["purchaseId", "requesterEmail", "supplier", "category", "description", "deliveredAt", "amount", "currency", "buyerEmail", "checkInAt"];

    public const int MaxBatch = 5000;

    public async Task<IntakeResult> AcceptAsync(IReadOnlyList<PurchaseInput> inputs, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (inputs.Count == 0)
        {
            Add(errors, "body", "Send at least one purchase.");
        }
        else if (inputs.Count > MaxBatch)
        {
            Add(errors, "body", $"Send at most {MaxBatch} purchases per request.");
        }

        var purchases = new List<(Purchase Purchase, string Where)>(inputs.Count);
        var seenIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in inputs.Take(MaxBatch))
        {
            if (Parse(input, errors) is { } purchase)
            {
                if (seenIds.TryGetValue(purchase.PurchaseId, out var first))
                {
                    Add(errors, $"{input.Where}.purchaseId", $"'{purchase.PurchaseId}' appears twice in this request (also {first}).");
                }
                else
                {
                    seenIds[purchase.PurchaseId] = input.Where;
                    purchases.Add((purchase, input.Where));
                }
            }
        }

        var sets = await catalog.GetCurrentAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var checkIns = new List<CheckIn>(purchases.Count);
        foreach (var (purchase, where) in purchases)
        {
            var set = QuestionSetCatalog.ChooseFor(sets, purchase.Category);
            if (set is null)
            {
                Add(errors, $"{where}.category", $"No question set covers '{purchase.Category}' and there is no default set.");
                continue;
            }

            var due = purchase.CheckInAt ?? purchase.DeliveredAt + TimeSpan.FromHours(set.CheckInDelayHours);
            checkIns.Add(new CheckIn
            {
                Id = purchase.PurchaseId,
                Purchase = purchase,
                RequesterKey = purchase.RequesterEmail.ToLowerInvariant(),
                QuestionSetId = set.Id,
                QuestionSetVersion = set.Version,
                Status = CheckInStatus.Scheduled,
                DueAt = due,
                CreatedAt = now,
            });
        }

        if (errors.Count > 0)
        {
            throw new IntakeValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        var created = await store.AddCheckInsAsync(checkIns, cancellationToken);
        var known = checkIns.Select(c => c.Id).Except(created).ToList();
        logger.LogInformation("Purchases received: {Created} new, {Known} already known", created.Count, known.Count);
        return new IntakeResult(created, known);
    }

    private static Purchase? Parse(PurchaseInput input, Dictionary<string, List<string>> errors)
    {
        if (input.Problem is not null)
        {
            Add(errors, input.Where, input.Problem);
            return null;
        }

        var before = errors.Count;
        string? Field(string name) => input.Fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        void Error(string field, string message) => Add(errors, $"{input.Where}.{field}", message);

        string Required(string name, int maxLength)
        {
            var value = Field(name);
            if (value is null)
            {
                Error(name, $"{name} is required.");
                return "";
            }

            if (value.Length > maxLength)
            {
                Error(name, $"{name} must be at most {maxLength} characters.");
            }

            return value;
        }

        foreach (var unknown in input.Fields.Keys.Where(k => !KnownFields.Contains(k, StringComparer.Ordinal)))
        {
            Error(unknown, $"'{unknown}' is not a purchase field. Known fields: {string.Join(", ", KnownFields)}.");
        }

        var id = Required("purchaseId", 200);
        if (id.Any(c => char.IsControl(c) || c is '/' or '\\' or '?' or '#'))
        {
            Error("purchaseId", "purchaseId must not contain '/', '\\', '?', '#' or control characters.");
        }

        var requester = Required("requesterEmail", 320);
        if (requester.Length > 0 && !IsEmail(requester))
        {
            Error("requesterEmail", $"'{requester}' is not an email address.");
        }

        var supplier = Required("supplier", 200);
        var category = Required("category", 100);
        var description = Required("description", 500);
        var deliveredAt = Moment(Field("deliveredAt"), "deliveredAt", required: true, Error);
        var checkInAt = Moment(Field("checkInAt"), "checkInAt", required: false, Error);

        decimal? amount = null;
        if (Field("amount") is { } rawAmount)
        {
            if (decimal.TryParse(rawAmount, NumberStyles.Number, CultureInfo.InvariantCulture, out var a) && a >= 0)
            {
                amount = a;
            }
            else
            {
                Error("amount", $"amount must be a non-negative number like 1299.50, not '{rawAmount}'.");
            }
        }

        var currency = Field("currency")?.ToUpperInvariant();
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            Error("currency", $"currency must be a three-letter ISO 4217 code like EUR, not '{currency}'.");
        }

        var buyer = Field("buyerEmail");
        if (buyer is not null && !IsEmail(buyer))
        {
            Error("buyerEmail", $"'{buyer}' is not an email address.");
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new Purchase
        {
            PurchaseId = id,
            RequesterEmail = requester,
            Supplier = supplier,
            Category = category,
            Description = description,
            DeliveredAt = deliveredAt!.Value,
            Amount = amount,
            Currency = currency,
            BuyerEmail = buyer,
            CheckInAt = checkInAt,
        };
    }

    private static DateTimeOffset? Moment(string? raw, string name, bool required, Action<string, string> error)
    {
        if (raw is null)
        {
            if (required)
            {
                error(name, $"{name} is required.");
            }

            return null;
        }

        // A moment needs a zone: "2026-11-20T14:00:00Z" or with an offset. A bare date means midnight UTC.
        DateTimeOffset? read = null;
        if (DateTimeOffset.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day))
        {
            read = day;
        }
        else if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var moment)
            && (raw.EndsWith('Z') || raw.EndsWith('z') || raw.LastIndexOfAny(['+', '-']) > 10))
        {
            read = moment.ToUniversalTime();
        }

        if (read is { } value)
        {
            // The check-in delay is added to it later: a date at the calendar's end would overflow there.
            if (InputDates.InRange(value))
            {
                return value;
            }

            error(name, InputDates.OutOfRange(name));
            return null;
        }

        error(name, $"{name} must be an ISO 8601 date, or a time with a zone such as 2026-11-20T14:00:00Z; got '{raw}'.");
        return null;
    }

    internal static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal);

    private static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }

        list.Add(message);
    }
}
