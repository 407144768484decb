using ProcurementBot.Purchases;

namespace ProcurementBot.Tests.Admin;

/// <summary>GET /api/admin/responses and /responses.csv: the answers come back out, filtered and paged; the CSV is safe to open in Excel.</summary>
public sealed class ResultsApiTests(AdminBotApp app) : IClassFixture<AdminBotApp>
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("line\nfeed", "\"line\nfeed\"")]
    [InlineData("=SUM(A1:A2)", "'=SUM(A1:A2)")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=1,\"2\"", "\"'=1,\"\"2\"\"\"")]
    [InlineData("a=b", "a=b")]
    public void Csv_fields_are_quoted_as_RFC_4180_says_and_formulas_are_neutralised(string value, string written) =>
        Assert.Equal(written, Csv.Field(value));

    [Fact]
    public void A_csv_line_ends_with_CRLF_and_parses_back() =>
        Assert.Equal(["a,b", "'=x", "q\""], Csv.Parse(Csv.Line(["a,b", "=x", "q\""]))[0].Fields);

    [Fact]
    public async Task A_finished_check_in_is_listed_with_its_answers_and_questions_and_paged()
    {
        var requester = await app.InstallAsync("Megan Bowen");
        var first = await app.AnswerBadlyAsync(requester, "laptops");
        var supplier = (await app.Store.GetCheckInAsync(first, default))!.Purchase.Supplier;

        var body = await GetJsonAsync($"/api/admin/responses?purchaseId={first}");
        var item = Assert.Single(body["items"]!.AsArray())!;
        Assert.Equal((first, supplier, "laptops", "Completed"), (item["purchaseId"]!.GetValue<string>(), item["supplier"]!.GetValue<string>(), item["category"]!.GetValue<string>(), item["status"]!.GetValue<string>()));
        Assert.Equal(requester.Email, item["requesterEmail"]!.GetValue<string>());
        var answers = item["answers"]!.AsArray();
        Assert.Contains(answers, a => a!["questionId"]!.GetValue<string>() == "overall" && a["answer"]!.GetValue<string>() == "1" && a["question"] is not null);
        Assert.Null(body["continuation"]);

        Assert.Single((await GetJsonAsync($"/api/admin/responses?supplier={Uri.EscapeDataString(supplier.ToUpperInvariant())}"))["items"]!.AsArray());
        Assert.Empty((await GetJsonAsync($"/api/admin/responses?purchaseId={first}&from=2020-01-01&to=2020-02-01"))["items"]!.AsArray());

        await app.AnswerBadlyAsync(requester, "laptops");
        var page = await GetJsonAsync("/api/admin/responses?pageSize=1");
        Assert.Single(page["items"]!.AsArray());
        var next = await GetJsonAsync($"/api/admin/responses?pageSize=1&continuation={page["continuation"]!.GetValue<string>()}");
        Assert.NotEqual(page["items"]![0]!["purchaseId"]!.GetValue<string>(), next["items"]![0]!["purchaseId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("continuation=garbage", "continuation")]
    [InlineData("from=2026-03-02&to=2026-03-01", "from")]
    public async Task Bad_parameters_get_400_naming_the_parameter(string query, string parameter)
    {
        var response = await app.AdminAsync(HttpMethod.Get, $"/api/admin/responses?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![parameter]);
    }

    [Fact]
    public async Task The_csv_has_a_BOM_a_header_and_one_row_per_response_with_its_answers()
    {
        var requester = await app.InstallAsync("Alex Wilber");
        var purchaseId = await app.AnswerBadlyAsync(requester, "laptops", comment: "=HYPERLINK(\"http://evil\"), then \"quotes\"");

        var response = await app.AdminAsync(HttpMethod.Get, $"/api/admin/responses.csv?purchaseId={purchaseId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("purchaseId,supplier,category,completedAt,status,questionSetId,questionSetVersion,answers\r\n", text, StringComparison.Ordinal);
        var rows = Csv.Parse(text);
        var row = Assert.Single(rows.Skip(1));
        Assert.Equal(purchaseId, row.Fields[0]);
        Assert.Equal("Completed", row.Fields[4]);
        Assert.Contains("overall=1", row.Fields[7], StringComparison.Ordinal);
        Assert.Contains("whatWentWrong==HYPERLINK(\"http://evil\"), then \"quotes\"", row.Fields[7], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(row.Fields[3], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _));
    }

    [Fact]
    public async Task The_requester_of_a_response_to_an_anonymous_set_is_not_listed()
    {
        var category = $"anonymous-{Guid.NewGuid():N}"[..20];
        var set = JsonNode.Parse(File.ReadAllText(Path.Combine(NodeTools.RepoRoot, "bot", "QuestionSets", "Seeded", "it-hardware.json")))!.AsObject();
        set["id"] = category;
        set["name"] = "Anonymous hardware";
        set["categories"] = new JsonArray(category);
        set["anonymous"] = true;
        Assert.Equal(HttpStatusCode.Created, (await app.AdminAsync(HttpMethod.Post, "/api/admin/question-sets", body: set)).StatusCode);
        var requester = await app.InstallAsync("Isaiah Langer");

        var purchaseId = await app.AnswerBadlyAsync(requester, category);

        var item = Assert.Single((await GetJsonAsync($"/api/admin/responses?purchaseId={purchaseId}"))["items"]!.AsArray())!;
        Assert.Equal(category, item["questionSetId"]!.GetValue<string>());
        Assert.Null(item["requesterEmail"]);
        Assert.Contains(item["answers"]!.AsArray(), a => a!["questionId"]!.GetValue<string>() == "overall");
    }

    [Fact]
    public async Task The_summary_counts_sends_responses_ratings_and_escalations_per_supplier_and_category()
    {
        var category = $"summary-{Guid.NewGuid():N}"[..20];
        var requester = await app.InstallAsync("Lidia Holloway");
        var first = await app.AnswerBadlyAsync(requester, category);
        var second = await app.AnswerBadlyAsync(requester, category);
        await app.ProcessEscalationsAsync();
        var supplier = (await app.Store.GetCheckInAsync(first, default))!.Purchase.Supplier;
        var month = DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var summary = await GetJsonAsync($"/api/admin/summary?from={month}&to={month}");

        Assert.Equal((month, month), (summary["from"]!.GetValue<string>(), summary["to"]!.GetValue<string>()));
        var line = Assert.Single(summary["categories"]!.AsArray(), c => c!["name"]!.GetValue<string>() == category)!;
        Assert.Equal((2, 2, 1.0, 2, 0.0, 1.0), (Int(line, "sent"), Int(line, "responses"), Number(line, "responseRate"), Int(line, "ratings"), Number(line, "csat"), Number(line, "averageRating")));
        Assert.Equal((2, 0.0, 0), (Int(line, "onTimeAnswers"), Number(line, "onTimeRate"), Int(line, "expired")));
        Assert.Equal((0, (double?)null), (Int(line, "npsAnswers"), line["nps"]?.GetValue<double>()));
        Assert.Equal((2, 0, 0), (Int(line["escalations"]!, "open"), Int(line["escalations"]!, "overdue"), Int(line["escalations"]!, "resolved")));
        var bySupplier = Assert.Single(summary["suppliers"]!.AsArray(), s => s!["name"]!.GetValue<string>() == supplier)!;
        Assert.Equal((1, 1, 1), (Int(bySupplier, "sent"), Int(bySupplier, "responses"), Int(bySupplier["escalations"]!, "open")));
        Assert.True(Int(summary, "sent") >= 2 && Int(summary, "responses") >= 2 && Int(summary["escalations"]!, "open") >= 2);
        Assert.Equal(Int(summary, "responses"), summary["categories"]!.AsArray().Sum(c => Int(c!, "responses")));
        Assert.NotEqual(first, second);

        var empty = await GetJsonAsync("/api/admin/summary?from=2020-01&to=2020-02");
        Assert.Equal((0, 0), (Int(empty, "sent"), Int(empty, "responses")));
        Assert.Null(empty["responseRate"]);
        Assert.Empty(empty["suppliers"]!.AsArray());
    }

    [Theory]
    [InlineData("from=2026-13", "from")]
    [InlineData("to=March", "to")]
    [InlineData("from=2026-03-01", "from")]
    [InlineData("from=2026-04&to=2026-03", "from")]
    [InlineData("from=2020-01&to=2026-03", "from")]
    public async Task Bad_summary_periods_get_400_naming_the_parameter(string query, string parameter)
    {
        var response = await app.AdminAsync(HttpMethod.Get, $"/api/admin/summary?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(parameter, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(problem["errors"]![parameter]![0]!.GetValue<string>());
    }

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();

    private static double Number(JsonNode node, string name) => node[name]!.GetValue<double>();

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await app.AdminAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
