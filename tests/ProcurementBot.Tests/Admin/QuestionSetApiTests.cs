using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.Admin;

/// <summary>/api/admin/question-sets: access, versions, validation errors, conflicts between sets, archive.</summary>
public sealed class QuestionSetApiTests(QuestionSetBotApp app) : IClassFixture<QuestionSetBotApp>
{
    private const string Sets = "/api/admin/question-sets";

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData(BotApp.IntakeKey)]
    public async Task A_missing_or_wrong_admin_key_gets_401_and_stores_nothing(string? key)
    {
        var set = NewSet();

        var list = await app.AdminAsync(HttpMethod.Get, Sets, key: key);
        var create = await app.AdminAsync(HttpMethod.Post, Sets, set, key);

        await list.ProblemAsync(HttpStatusCode.Unauthorized);
        await create.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(await app.Store.GetQuestionSetVersionsAsync(Id(set), default));
    }

    [Fact]
    public async Task A_created_set_is_version_1_listed_readable_and_recorded()
    {
        var set = NewSet();

        var response = await app.AdminAsync(HttpMethod.Post, Sets, set);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var got = await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}/{Id(set)}");
        Assert.Equal(1, got["version"]!.GetValue<int>());
        Assert.Equal("Test set", got["name"]!.GetValue<string>());
        var listed = (await app.AdminJsonAsync(HttpMethod.Get, Sets)).AsArray().Single(s => s!["id"]!.GetValue<string>() == Id(set));
        Assert.False(listed!["archived"]!.GetValue<bool>());
        Assert.Contains(("question-set.create", Id(set), "version 1"), await app.AuditAsync());
    }

    [Fact]
    public async Task A_sets_timing_comes_back_from_create_and_get_as_the_schema_spells_it()
    {
        var set = With(NewSet(), s => s["timing"] = JsonNode.Parse(
            """{"workingHours":{"start":"08:30","end":"16:00","days":["Monday","WEDNESDAY"]},"reminderAfterHours":24,"maxReminders":2,"expireAfterHours":72.5}"""));
        var spelt = JsonNode.Parse(
            """{"workingHours":{"start":"08:30","end":"16:00","days":["monday","wednesday"]},"reminderAfterHours":24,"maxReminders":2,"expireAfterHours":72.5}""");

        var created = await app.AdminJsonAsync(HttpMethod.Post, Sets, set);
        var got = await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}/{Id(set)}");

        Assert.True(JsonNode.DeepEquals(spelt, created["timing"]), created["timing"]?.ToJsonString());
        Assert.True(JsonNode.DeepEquals(spelt, got["timing"]), got["timing"]?.ToJsonString());
        var stored = (await app.Store.GetQuestionSetVersionsAsync(Id(set), default)).Single().Timing!;
        Assert.Equal((new TimeOnly(8, 30), new TimeOnly(16, 0)), (stored.WorkingHours!.Start, stored.WorkingHours.End));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Wednesday], stored.WorkingHours.Days);
        Assert.Equal((24.0, 2, 72.5), (stored.ReminderAfterHours, stored.MaxReminders, stored.ExpireAfterHours));
        var untimed = NewSet();
        await app.AdminJsonAsync(HttpMethod.Post, Sets, untimed);
        Assert.Null((await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}/{Id(untimed)}"))["timing"]);
    }

    [Fact]
    public async Task Creating_an_existing_id_is_409_and_keeps_the_set()
    {
        var set = NewSet();
        await app.AdminJsonAsync(HttpMethod.Post, Sets, set);

        var again = await app.AdminAsync(HttpMethod.Post, Sets, With(set, s => s["name"] = "Other"));

        var problem = await again.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("exists", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Test set", (await app.Store.GetQuestionSetVersionsAsync(Id(set), default)).Single().Name);
    }

    [Fact]
    public async Task An_update_is_a_new_version_and_old_versions_stay_readable()
    {
        var set = NewSet();
        await app.AdminJsonAsync(HttpMethod.Post, Sets, set);

        var updated = await app.AdminJsonAsync(HttpMethod.Put, $"{Sets}/{Id(set)}", With(set, s => s["name"] = "Renamed"));
        await app.AdminJsonAsync(HttpMethod.Put, $"{Sets}/{Id(set)}", With(set, s => s["name"] = "Renamed again"));

        Assert.Equal(2, updated["version"]!.GetValue<int>());
        Assert.Equal(3, (await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}/{Id(set)}"))["version"]!.GetValue<int>());
        Assert.Equal("Renamed", (await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}/{Id(set)}?version=2"))["name"]!.GetValue<string>());
        Assert.Equal("Test set", (await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}/{Id(set)}?version=1"))["name"]!.GetValue<string>());
        await (await app.AdminAsync(HttpMethod.Get, $"{Sets}/{Id(set)}?version=4")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(("question-set.update", Id(set), "version 3"), await app.AuditAsync());
    }

    [Fact]
    public async Task Updating_an_unknown_set_is_404_and_a_different_id_in_the_body_is_400()
    {
        var set = NewSet();
        await (await app.AdminAsync(HttpMethod.Put, $"{Sets}/{Id(set)}", set)).ProblemAsync(HttpStatusCode.NotFound);
        await app.AdminJsonAsync(HttpMethod.Post, Sets, set);

        var mismatch = await app.AdminAsync(HttpMethod.Put, $"{Sets}/{Id(set)}", With(set, s => s["id"] = "another-id"));

        AssertErrors(await mismatch.ProblemAsync(HttpStatusCode.BadRequest), "/id");
        Assert.Single(await app.Store.GetQuestionSetVersionsAsync(Id(set), default));
    }

    public static TheoryData<string, string, string> InvalidSets => new()
    {
        // what is wrong, JSON to change (merged into a valid set), where the error points
        { "duplicate question ids", """{"questions":[{"id":"a","type":"rating","text":"A?"},{"id":"a","type":"yesNo","text":"B?"}]}""", "/questions/1/id" },
        { "unknown question type", """{"questions":[{"id":"a","type":"rating","text":"A?"},{"id":"b","type":"stars","text":"B?"}]}""", "/questions/1/type" },
        { "condition on a later question", """{"questions":[{"id":"a","type":"text","text":"A?","showIf":{"question":"b","atMost":2}},{"id":"b","type":"rating","text":"B?"}]}""", "/questions/0/showIf/question" },
        { "condition on an unknown question", """{"questions":[{"id":"a","type":"text","text":"A?","showIf":{"question":"zz","atMost":2}}]}""", "/questions/0/showIf/question" },
        { "empty choice list", """{"questions":[{"id":"a","type":"choice","text":"A?","choices":[]}]}""", "/questions/0/choices" },
        { "bound outside the rating scale", """{"escalationRules":[{"id":"r","when":{"question":"overall","atMost":0}}]}""", "/escalationRules/0/when" },
        { "equals a value the question cannot take", """{"escalationRules":[{"id":"r","when":{"question":"onTime","equals":"maybe"}}]}""", "/escalationRules/0/when/equals" },
        { "misspelt field", """{"questions":[{"id":"a","type":"rating","text":"A?","shownIf":{"question":"a","atMost":2}}]}""", "/questions/0/shownIf" },
        { "missing question type", """{"questions":[{"id":"a","text":"A?"}]}""", "/questions/0" },
        { "null questions", """{"questions":null}""", "/questions" },
        { "null question", """{"questions":[null]}""", "/questions/0" },
        { "text where a number goes", """{"checkInDelayHours":"soon"}""", "/checkInDelayHours" },
        { "unknown severity", """{"escalationRules":[{"id":"r","when":{"question":"overall","atMost":2},"severity":"urgent"}]}""", "/escalationRules/0/severity" },
        { "no categories and not the default", """{"categories":[]}""", "/categories" },
        { "card too large for Teams", TooLargeForTeams(), "/questions" },
        { "working hours ending before they start", """{"timing":{"workingHours":{"start":"17:00","end":"09:00"}}}""", "/timing/workingHours/end" },
        { "a time of day that is not HH:mm", """{"timing":{"workingHours":{"start":"9am","end":"17:00"}}}""", "/timing/workingHours/start" },
        { "an unknown working day", """{"timing":{"workingHours":{"start":"09:00","end":"17:00","days":["monday","someday"]}}}""", "/timing/workingHours/days/1" },
        { "expiring before the last reminder", """{"timing":{"reminderAfterHours":48,"maxReminders":2,"expireAfterHours":72}}""", "/timing/expireAfterHours" },
    };

    [Theory]
    [MemberData(nameof(InvalidSets))]
    public async Task An_invalid_set_is_400_with_a_pointer_and_a_sentence_and_stores_nothing(string what, string change, string pointer)
    {
        var set = NewSet();
        set["escalationRules"] = new JsonArray(); // the rows that change questions would leave the rule dangling
        Merge(set, JsonNode.Parse(change)!.AsObject());

        var response = await app.AdminAsync(HttpMethod.Post, Sets, set);
        var validated = await app.AdminJsonAsync(HttpMethod.Post, $"{Sets}/validate", set);

        var errors = AssertErrors(await response.ProblemAsync(HttpStatusCode.BadRequest), pointer);
        Assert.All(errors, e => Assert.EndsWith(".", e.Message, StringComparison.Ordinal));
        Assert.False(validated["valid"]!.GetValue<bool>(), what);
        Assert.Contains(validated["errors"]!.AsArray(), e => e!["pointer"]!.GetValue<string>() == pointer);
        Assert.Empty(await app.Store.GetQuestionSetVersionsAsync(Id(set), default));
    }

    [Fact]
    public async Task An_unknown_question_type_is_named_with_the_types_there_are()
    {
        var set = NewSet();
        set["questions"]!.AsArray().Add(new JsonObject { ["id"] = "b", ["type"] = "stars", ["text"] = "B?" });

        var problem = await (await app.AdminAsync(HttpMethod.Post, Sets, set)).ProblemAsync(HttpStatusCode.BadRequest);

        var error = Assert.Single(AssertErrors(problem, "/questions/3/type"));
        Assert.Equal("\"stars\" is not a question type; use rating, yesNo, choice, text or nps.", error.Message);
    }

    [Theory]
    [InlineData("{\"id\": ")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Malformed_json_is_400(string body)
    {
        var response = await app.AdminAsync(HttpMethod.Post, Sets, HttpBodies.Text(body, "application/json"));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Malformed JSON", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_400_at_the_root()
    {
        var response = await app.AdminAsync(HttpMethod.Post, Sets, HttpBodies.Text("[1, 2]", "application/json"));

        AssertErrors(await response.ProblemAsync(HttpStatusCode.BadRequest), "");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_256_KB_is_413(bool announceLength)
    {
        var body = HttpBodies.Padded(NewSet(), 256 * 1024 + 1);

        var response = await app.AdminAsync(HttpMethod.Post, Sets, HttpBodies.Sized(body, "application/json", announceLength));

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_second_default_set_is_409_naming_the_default()
    {
        var set = With(NewSet(), s => s["isDefault"] = true);

        var problem = await (await app.AdminAsync(HttpMethod.Post, Sets, set)).ProblemAsync(HttpStatusCode.Conflict);

        var error = Assert.Single(AssertErrors(problem, "/isDefault"));
        Assert.Contains("'general-goods' is already the default set", error.Message, StringComparison.Ordinal);
        Assert.Empty(await app.Store.GetQuestionSetVersionsAsync(Id(set), default));
    }

    [Fact]
    public async Task A_category_another_set_claims_is_409_naming_both()
    {
        var set = NewSet();
        set["categories"]!.AsArray().Add("Laptops");

        var problem = await (await app.AdminAsync(HttpMethod.Post, Sets, set)).ProblemAsync(HttpStatusCode.Conflict);

        var error = Assert.Single(AssertErrors(problem, "/categories/1"));
        Assert.Contains($"'{Id(set)}' and 'it-hardware'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await app.Store.GetQuestionSetVersionsAsync(Id(set), default));
    }

    [Fact]
    public async Task Validating_a_valid_set_says_so_and_stores_nothing()
    {
        var set = NewSet();

        var result = await app.AdminJsonAsync(HttpMethod.Post, $"{Sets}/validate", set);

        Assert.True(result["valid"]!.GetValue<bool>());
        Assert.Empty(result["errors"]!.AsArray());
        Assert.Empty(await app.Store.GetQuestionSetVersionsAsync(Id(set), default));
    }

    [Fact]
    public async Task An_archived_set_leaves_the_list_stays_readable_and_cannot_be_updated()
    {
        var set = NewSet();
        await app.AdminJsonAsync(HttpMethod.Post, Sets, set);

        var archived = await app.AdminJsonAsync(HttpMethod.Post, $"{Sets}/{Id(set)}/archive");

        Assert.True(archived["archived"]!.GetValue<bool>());
        Assert.DoesNotContain((await app.AdminJsonAsync(HttpMethod.Get, Sets)).AsArray(), s => s!["id"]!.GetValue<string>() == Id(set));
        var all = await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}?includeArchived=true");
        Assert.True(all.AsArray().Single(s => s!["id"]!.GetValue<string>() == Id(set))!["archived"]!.GetValue<bool>());
        Assert.Equal(1, (await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}/{Id(set)}"))["version"]!.GetValue<int>());
        await (await app.AdminAsync(HttpMethod.Put, $"{Sets}/{Id(set)}", set)).ProblemAsync(HttpStatusCode.Conflict);
        await (await app.AdminAsync(HttpMethod.Post, Sets, set)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(("question-set.archive", Id(set), (string?)null), await app.AuditAsync());
    }

    [Fact]
    public async Task The_only_default_set_cannot_be_archived_or_lose_its_default_flag()
    {
        var archive = await app.AdminAsync(HttpMethod.Post, $"{Sets}/general-goods/archive");
        var current = await app.AdminJsonAsync(HttpMethod.Get, $"{Sets}/general-goods");
        var undefault = await app.AdminAsync(HttpMethod.Put, $"{Sets}/general-goods", With(current.AsObject(), s => s["isDefault"] = false));

        Assert.Contains("only default set", (await archive.ProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertErrors(await undefault.ProblemAsync(HttpStatusCode.Conflict), "/isDefault");
        Assert.Contains(await app.Store.GetCurrentQuestionSetsAsync(default), s => s.Id == "general-goods" && s.IsDefault);
    }

    [Fact]
    public async Task Archiving_an_unknown_set_is_404()
    {
        await (await app.AdminAsync(HttpMethod.Post, $"{Sets}/no-such-set/archive")).ProblemAsync(HttpStatusCode.NotFound);
        await (await app.AdminAsync(HttpMethod.Get, $"{Sets}/no-such-set")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_check_in_in_progress_keeps_its_version_after_an_update_and_its_answers_record_it()
    {
        var set = NewSet();
        var category = set["categories"]![0]!.GetValue<string>();
        await app.AdminJsonAsync(HttpMethod.Post, Sets, set);
        var user = await app.InstallAsync();
        var purchase = BotApp.Purchase(user.Email, category: category);
        var purchaseId = (string)purchase.GetType().GetProperty("purchaseId")!.GetValue(purchase)!;
        await app.PostPurchasesAsync(purchase);
        await app.DispatchAsync();

        var v2 = With(set, s =>
        {
            s["questions"] = JsonNode.Parse("""[{"id":"quality","type":"rating","text":"How good is it?"}]""");
            s["escalationRules"] = new JsonArray();
        });
        await app.AdminJsonAsync(HttpMethod.Put, $"{Sets}/{Id(set)}", v2);
        foreach (var answer in new[] { "4", "yes", "skip" })
        {
            await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, answer));
        }

        var checkIn = await app.Store.GetCheckInAsync(purchaseId, default);
        Assert.Equal(CheckInStatus.Completed, checkIn!.Status);
        Assert.Equal((Id(set), 1), (checkIn.QuestionSetId, checkIn.QuestionSetVersion));
        Assert.Equal(["overall", "onTime"], checkIn.Answers.Where(a => !a.Skipped).Select(a => a.QuestionId));
    }

    private static string Id(JsonObject set) => set["id"]!.GetValue<string>();

    /// <summary>A valid, non-default set with its own id and category.</summary>
    private static JsonObject NewSet()
    {
        var id = $"qs-{Guid.NewGuid():N}"[..16];
        return JsonNode.Parse($$$"""
            {
              "id": "{{{id}}}",
              "name": "Test set",
              "categories": ["cat-{{{id}}}"],
              "questions": [
                {"id": "overall", "type": "rating", "text": "How happy are you with {description}?"},
                {"id": "onTime", "type": "yesNo", "text": "Did it arrive when you needed it?"},
                {"id": "comment", "type": "text", "text": "Anything else?", "required": false}
              ],
              "escalationRules": [{"id": "low", "when": {"question": "overall", "atMost": 2}}]
            }
            """)!.AsObject();
    }

    private static JsonObject With(JsonObject set, Action<JsonObject> change)
    {
        var copy = set.DeepClone().AsObject();
        change(copy);
        return copy;
    }

    private static void Merge(JsonObject set, JsonObject change)
    {
        foreach (var (name, value) in change.ToList())
        {
            set[name] = value?.DeepClone();
        }
    }

    private static string TooLargeForTeams()
    {
        var choices = new JsonArray([.. Enumerable.Range(0, 60).Select(i => (JsonNode)$"Choice number {i} with a rather long explanation of what it means to the employee")]);
        var questions = new JsonArray([.. Enumerable.Range(0, 8).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = $"q{i}", ["type"] = "choice", ["text"] = $"Question {i}?", ["choices"] = choices.DeepClone(),
        })]);
        return new JsonObject { ["questions"] = questions }.ToJsonString();
    }

    private static List<(string Pointer, string Message)> AssertErrors(JsonNode problem, string pointer)
    {
        var errors = problem["errors"]!.AsArray().Select(e => (e!["pointer"]!.GetValue<string>(), e["message"]!.GetValue<string>())).ToList();
        Assert.True(errors.Exists(e => e.Item1 == pointer), $"No error at '{pointer}': {problem.ToJsonString()}");
        return errors;
    }
}
