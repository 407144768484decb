using ProcurementBot.CheckIns;
using ProcurementBot.Purchases;

namespace ProcurementBot.Tests.Purchases;

/// <summary>POST /api/purchases: who may call it, what it accepts, and that a bad batch stores nothing.</summary>
public sealed class PurchaseIntakeApiTests(BotApp app) : IClassFixture<BotApp>
{
    private const string Delivered = "2026-03-02T10:00:00Z";

    public static TheoryData<string?> RefusedKeys => new()
    {
        null,
        "",
        "wrong-key",
        BotApp.IntakeKey + "x",
        BotApp.IntakeKey.ToUpperInvariant(),
        BotApp.IntakeKey[..^1],
    };

    [Theory]
    [MemberData(nameof(RefusedKeys))]
    public async Task A_missing_or_wrong_intake_key_gets_401_and_stores_nothing(string? key)
    {
        var id = NewId();

        var response = await app.PostAsync("/api/purchases", Json(Purchase(id)), key);

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Null(await app.Store.GetCheckInAsync(id, default));
    }

    [Fact]
    public async Task A_purchase_object_is_stored_as_a_scheduled_check_in()
    {
        var id = NewId();
        var purchase = Purchase(id, "Megan.Bowen@Contoso.com");
        purchase["buyerEmail"] = "buyer@contoso.com";

        var response = await app.PostAsync("/api/purchases", Json(purchase), BotApp.IntakeKey);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal([id], Ids(body["created"]));
        Assert.Empty(Ids(body["alreadyKnown"]));
        var stored = await app.Store.GetCheckInAsync(id, default);
        Assert.NotNull(stored);
        Assert.Equal(CheckInStatus.Scheduled, stored.Status);
        Assert.Equal("megan.bowen@contoso.com", stored.RequesterKey);
        Assert.Equal("it-hardware", stored.QuestionSetId);
        Assert.Equal(app.Clock.GetUtcNow(), stored.CreatedAt);
        Assert.Equal(
            new Purchase
            {
                PurchaseId = id,
                RequesterEmail = "Megan.Bowen@Contoso.com",
                Supplier = "Dell",
                Category = "laptops",
                Description = "Latitude 7450, 16 GB",
                DeliveredAt = DateTimeOffset.Parse(Delivered, System.Globalization.CultureInfo.InvariantCulture),
                Amount = 1499.50m,
                Currency = "EUR",
                BuyerEmail = "buyer@contoso.com",
            },
            stored.Purchase);
    }

    public static TheoryData<string, string?, string> BadFields => new()
    {
        // field · value (null: left out) · what the error says
        { "requesterEmail", "not-an-email", "not an email address" },
        { "requesterEmail", null, "requesterEmail is required" },
        { "supplier", "  ", "supplier is required" },
        { "deliveredAt", "yesterday", "ISO 8601" },
        { "deliveredAt", "2026-03-02T10:00:00", "with a zone" },
        { "checkInAt", "next week", "ISO 8601" },
        { "amount", "-5", "non-negative number" },
        { "amount", "lots", "non-negative number" },
        { "currency", "EURO", "three-letter" },
        { "buyerEmail", "buyer", "not an email address" },
        { "purchaseId", "PO/1", "must not contain '/'" },
        { "description", new string('x', 501), "at most 500 characters" },
        { "colour", "red", "'colour' is not a purchase field" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task One_bad_row_in_an_array_is_named_by_index_and_field_and_nothing_of_the_batch_is_stored(string field, string? value, string says)
    {
        var ids = new[] { NewId(), NewId(), NewId() };
        var batch = new JsonArray([.. ids.Select(id => (JsonNode)Purchase(id))]);
        batch[2]![field] = value;
        if (value is null)
        {
            batch[2]!.AsObject().Remove(field);
        }

        var response = await app.PostAsync("/api/purchases", Json(batch), BotApp.IntakeKey);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        var error = Assert.Single(errors);
        Assert.Equal($"[2].{field}", error.Key);
        Assert.Contains(says, Assert.Single(error.Value!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNoneStoredAsync(ids);
    }

    [Fact]
    public async Task Every_bad_row_of_a_batch_is_named_at_once()
    {
        var ids = new[] { NewId(), NewId(), NewId(), NewId() };
        var batch = new JsonArray([.. ids.Select(id => (JsonNode)Purchase(id))]);
        batch[0]!["currency"] = "euros";
        batch[3]!["deliveredAt"] = "soon";
        batch.Add(Purchase(ids[1]));

        var response = await app.PostAsync("/api/purchases", Json(batch), BotApp.IntakeKey);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["[0].currency", "[3].deliveredAt", "[4].purchaseId"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Contains("appears twice", problem["errors"]!["[4].purchaseId"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNoneStoredAsync(ids);
    }

    public static TheoryData<string, string> MalformedJson => new()
    {
        // body → what the error says
        { "{\"purchaseId\": ", "" },
        { "", "" },
        { "42", "purchase object or an array" },
        { "[{\"purchaseId\": \"PO-1\"}, 7]", "Item [1] is Number" },
        { "{\"purchaseId\": {\"po\": 1}}", "purchase.purchaseId must be a string or a number" },
    };

    [Theory]
    [MemberData(nameof(MalformedJson))]
    public async Task Malformed_json_is_refused_with_400(string body, string says)
    {
        var response = await app.PostAsync("/api/purchases", HttpBodies.Text(body, "application/json"), BotApp.IntakeKey);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(says, problem["detail"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_export_is_stored_row_by_row()
    {
        var (first, second) = (NewId(), NewId());
        var csv =
            "\uFEFFpurchaseId,requesterEmail,supplier,category,description,deliveredAt,amount,currency\r\n"
            + $"{first},alice@contoso.com,\"Dell, Inc.\",laptops,\"Latitude 7450, 16 GB\",{Delivered},1499.50,EUR\r\n"
            + $"{second},bob@contoso.com,Steelcase,furniture,\"Desk, \"\"standing\"\"\nwith cable tray\",2026-03-02,,\r\n";

        var response = await app.PostAsync("/api/purchases", HttpBodies.Text(csv, "text/csv"), BotApp.IntakeKey);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var a = await app.Store.GetCheckInAsync(first, default);
        var b = await app.Store.GetCheckInAsync(second, default);
        Assert.Equal(("Dell, Inc.", "Latitude 7450, 16 GB", 1499.50m), (a!.Purchase.Supplier, a.Purchase.Description, a.Purchase.Amount));
        Assert.Equal(("Desk, \"standing\"\nwith cable tray", null, "general-goods"), (b!.Purchase.Description, b.Purchase.Amount, b.QuestionSetId));
    }

    public static TheoryData<string, string, string> BrokenCsv => new()
    {
        // the third record · the error key (or, for malformed CSV, the detail) · what it says
        { "PO-X,x@contoso.com,Dell,laptops,Laptop", "line 3", "This row has 5 fields; the header has 6." },
        { "PO-X,x@contoso.com,Dell,laptops,Laptop,2026-03-02,extra", "line 3", "7 fields" },
        { "PO-X,nobody,Dell,laptops,Laptop,2026-03-02", "line 3.requesterEmail", "not an email address" },
        { "PO-X,x@contoso.com,Dell,laptops,\"Laptop,2026-03-02", "Line 3", "never closed" },
    };

    [Theory]
    [MemberData(nameof(BrokenCsv))]
    public async Task A_csv_with_a_broken_row_is_refused_naming_its_line_and_stores_nothing(string record, string where, string says)
    {
        var good = NewId();
        var csv = "purchaseId,requesterEmail,supplier,category,description,deliveredAt\n"
            + $"{good},alice@contoso.com,Dell,laptops,Laptop,2026-03-02\n"
            + record.Replace("PO-X", NewId(), StringComparison.Ordinal) + "\n";

        var response = await app.PostAsync("/api/purchases", HttpBodies.Text(csv, "text/csv"), BotApp.IntakeKey);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        var said = problem["errors"] is JsonObject errors
            ? string.Join(" ", Assert.Single(errors, e => e.Key == where).Value!.AsArray().Select(m => m!.GetValue<string>()))
            : problem["detail"]!.GetValue<string>();
        Assert.Contains(says, said, StringComparison.Ordinal);
        if (problem["errors"] is null)
        {
            Assert.StartsWith(where + ":", said, StringComparison.Ordinal);
        }

        await AssertNoneStoredAsync([good]);
    }

    [Fact]
    public async Task Posting_a_known_purchase_again_is_idempotent_and_says_so()
    {
        var id = NewId();
        await app.PostAsync("/api/purchases", Json(Purchase(id)), BotApp.IntakeKey);
        var first = await app.Store.GetCheckInAsync(id, default);
        var changed = Purchase(id);
        changed["supplier"] = "HP";

        var again = await app.PostAsync("/api/purchases", Json(changed), BotApp.IntakeKey);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Empty(Ids(body["created"]));
        Assert.Equal([id], Ids(body["alreadyKnown"]));
        var after = await app.Store.GetCheckInAsync(id, default);
        Assert.Equal(first!.ETag, after!.ETag);
        Assert.Equal("Dell", after.Purchase.Supplier);
    }

    [Fact]
    public async Task A_batch_mixing_known_and_new_purchases_creates_only_the_new_ones()
    {
        var (known, fresh) = (NewId(), NewId());
        await app.PostAsync("/api/purchases", Json(Purchase(known)), BotApp.IntakeKey);

        var response = await app.PostAsync("/api/purchases", Json(new JsonArray(Purchase(known), Purchase(fresh))), BotApp.IntakeKey);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal([fresh], Ids(body["created"]));
        Assert.Equal([known], Ids(body["alreadyKnown"]));
    }

    public static TheoryData<string?> UnsupportedTypes => new() { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", null };

    [Theory]
    [MemberData(nameof(UnsupportedTypes))]
    public async Task An_unsupported_content_type_gets_415_and_stores_nothing(string? mediaType)
    {
        var id = NewId();

        var response = await app.PostAsync("/api/purchases", HttpBodies.Text(Purchase(id).ToJsonString(), mediaType), BotApp.IntakeKey);

        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("text/csv", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await app.Store.GetCheckInAsync(id, default));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_gets_413_and_stores_nothing(bool announceLength)
    {
        var id = NewId();
        var body = HttpBodies.Padded(Purchase(id), PurchaseEndpoints.MaxBodyBytes + 1);

        var response = await app.PostAsync("/api/purchases", HttpBodies.Sized(body, "application/json", announceLength), BotApp.IntakeKey);

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Null(await app.Store.GetCheckInAsync(id, default));
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_accepted()
    {
        var id = NewId();
        var body = HttpBodies.Padded(Purchase(id), PurchaseEndpoints.MaxBodyBytes);

        var response = await app.PostAsync("/api/purchases", HttpBodies.Sized(body, "application/json", announceLength: false), BotApp.IntakeKey);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(await app.Store.GetCheckInAsync(id, default));
    }

    public static TheoryData<string, string, string?, string, string> DueTimes => new()
    {
        // category · deliveredAt · checkInAt · due · question set
        { "laptops", "2026-03-02T10:00:00Z", null, "2026-03-05T10:00:00Z", "it-hardware" },
        { "Laptops ", "2026-03-02T10:00:00Z", null, "2026-03-05T10:00:00Z", "it-hardware" },
        { "consulting", "2026-03-02T10:00:00Z", null, "2026-03-04T10:00:00Z", "services" },
        { "furniture", "2026-03-02T10:00:00Z", null, "2026-03-03T10:00:00Z", "general-goods" },
        { "something new", "2026-03-02T10:00:00+01:00", null, "2026-03-03T09:00:00Z", "general-goods" },
        { "laptops", "2026-03-02", null, "2026-03-05T00:00:00Z", "it-hardware" },
        { "laptops", "2026-03-02T10:00:00Z", "2026-03-07T23:30:00Z", "2026-03-07T23:30:00Z", "it-hardware" },
        { "laptops", "2026-03-02T10:00:00Z", "2026-03-08T03:15:00+05:30", "2026-03-07T21:45:00Z", "it-hardware" },
        { "laptops", "2026-03-02T10:00:00Z", "2026-03-01T08:00:00Z", "2026-03-01T08:00:00Z", "it-hardware" },
    };

    [Theory]
    [MemberData(nameof(DueTimes))]
    public async Task The_check_in_is_due_at_checkInAt_exactly_when_given_else_after_the_sets_delay(
        string category, string deliveredAt, string? checkInAt, string due, string questionSet)
    {
        var id = NewId();
        var purchase = Purchase(id);
        purchase["category"] = category;
        purchase["deliveredAt"] = deliveredAt;
        purchase["checkInAt"] = checkInAt;

        var response = await app.PostAsync("/api/purchases", Json(purchase), BotApp.IntakeKey);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await app.Store.GetCheckInAsync(id, default);
        Assert.Equal(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture), stored!.DueAt);
        Assert.Equal(questionSet, stored.QuestionSetId);
    }

    [Fact]
    public async Task A_category_no_set_covers_is_named_at_its_own_row_when_there_is_no_default_set()
    {
        await HttpBodies.WithFreshAppAsync(async fresh =>
        {
            var defaultSet = (await fresh.Store.GetCurrentQuestionSetsAsync(default)).Single(s => s.IsDefault);
            await fresh.Store.AddQuestionSetVersionAsync(defaultSet with { Version = defaultSet.Version + 1, IsDefault = false }, default);
            var ids = new[] { NewId(), NewId() };
            var uncovered = Purchase(ids[1]);
            uncovered["category"] = "spaceships";
            var batch = new JsonArray(Purchase(ids[0]), Purchase(ids[0]), uncovered);

            var response = await fresh.PostAsync("/api/purchases", Json(batch), BotApp.IntakeKey);

            var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["[1].purchaseId", "[2].category"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
            Assert.Contains("'spaceships'", problem["errors"]!["[2].category"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Null(await fresh.Store.GetCheckInAsync(ids[0], default));
        });
    }

    private static string NewId() => $"PO-{Guid.NewGuid():N}"[..19];

    private static JsonObject Purchase(string id, string email = "alice@contoso.com") => new()
    {
        ["purchaseId"] = id,
        ["requesterEmail"] = email,
        ["supplier"] = "Dell",
        ["category"] = "laptops",
        ["description"] = "Latitude 7450, 16 GB",
        ["deliveredAt"] = Delivered,
        ["amount"] = 1499.50m,
        ["currency"] = "eur",
    };

    private static HttpContent Json(JsonNode body) => HttpBodies.Text(body.ToJsonString(), "application/json");

    private static string[] Ids(JsonNode? list) => [.. list!.AsArray().Select(n => n!.GetValue<string>())];

    private async Task AssertNoneStoredAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            Assert.Null(await app.Store.GetCheckInAsync(id, default));
        }
    }
}
