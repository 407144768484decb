using ProcurementBot.QuestionSets;
using ProcurementBot.Storage;

namespace ProcurementBot.Tests.QuestionSets;

/// <summary>Every mistake an admin can make in a question set gets one error that points at the field.</summary>
public sealed class QuestionSetValidatorTests
{
    private static readonly Dictionary<string, (Func<QuestionSet, QuestionSet> Break, string Pointer, string Says)> Mistakes = new()
    {
        // mistake → (how the valid set is broken, where the error points, what the message names)
        ["id with a space"] = (s => s with { Id = "it hardware" }, "/id", "id"),
        ["empty id"] = (s => s with { Id = "" }, "/id", "id"),
        ["blank name"] = (s => s with { Name = "  " }, "/name", "name"),
        ["negative delay"] = (s => s with { CheckInDelayHours = -1 }, "/checkInDelayHours", "delay"),
        ["delay over 90 days"] = (s => s with { CheckInDelayHours = 24 * 90 + 1 }, "/checkInDelayHours", "90 days"),
        ["no category and not the default"] = (s => s with { Categories = [] }, "/categories", "category"),
        ["no questions"] = (s => s with { Questions = [], EscalationRules = [] }, "/questions", "at least one question"),
        ["21 questions"] = (s => s with { Questions = [.. s.Questions, .. Enumerable.Range(0, 17).Select(i => Rating($"extra{i}"))] }, "/questions", "at most 20"),
        ["question without id"] = (s => WithQuestion(s, 2, q => q with { Id = "" }), "/questions/2/id", "id"),
        ["duplicate question id"] = (s => WithQuestion(s, 2, q => q with { Id = "onTime" }), "/questions/2/id", "'onTime' is used twice"),
        ["question without text"] = (s => WithQuestion(s, 0, q => q with { Text = "" }), "/questions/0/text", "text"),
        ["choice without choices"] = (s => WithQuestion(s, 2, q => q with { Choices = [] }), "/questions/2/choices", "choice"),
        ["a blank category"] = (s => s with { Categories = ["it-hardware", " "] }, "/categories/1", "blank"),
        ["a category twice"] = (s => s with { Categories = ["it-hardware", "Laptops", "laptops "] }, "/categories/2", "'laptops' is listed twice"),
        ["a blank choice"] = (s => WithQuestion(s, 2, q => q with { Choices = [.. q.Choices, ""] }), "/questions/2/choices/2", "blank"),
        ["a choice twice"] = (s => WithQuestion(s, 2, q => q with { Choices = [.. q.Choices, q.Choices[0].ToUpperInvariant()] }), "/questions/2/choices/2", "listed twice"),
        ["choices on a rating"] = (s => WithQuestion(s, 0, q => q with { Choices = ["good"] }), "/questions/0/choices", "choice"),
        ["condition on an unknown question"] = (s => ShowIf(s, new() { Question = "rating", AtMost = 2 }), "/questions/3/showIf/question", "'rating', which is not a question of this set"),
        ["condition on itself"] = (s => ShowIf(s, new() { Question = "whatWentWrong", Unanswered = true }), "/questions/3/showIf/question", "'whatWentWrong', which is not asked before"),
        ["condition on a later question"] = (s => WithQuestion(s, 1, q => q with { ShowIf = new() { Question = "workingOutOfBox", EqualsValue = "After some setup" } }), "/questions/1/showIf/question", "'workingOutOfBox', which is not asked before"),
        ["condition without comparison"] = (s => ShowIf(s, new() { Question = "overall" }), "/questions/3/showIf", "exactly one of"),
        ["condition with two comparisons"] = (s => ShowIf(s, new() { Question = "overall", AtMost = 2, AtLeast = 1 }), "/questions/3/showIf", "exactly one of"),
        ["atMost on a yes/no question"] = (s => ShowIf(s, new() { Question = "onTime", AtMost = 1 }), "/questions/3/showIf", "'onTime' is YesNo"),
        ["bound above the rating scale"] = (s => ShowIf(s, new() { Question = "overall", AtLeast = 6 }), "/questions/3/showIf", "outside the scale of 'overall' (1 to 5)"),
        ["bound below the rating scale"] = (s => ShowIf(s, new() { Question = "overall", AtMost = 0 }), "/questions/3/showIf", "outside the scale of 'overall' (1 to 5)"),
        ["yes/no condition on maybe"] = (s => ShowIf(s, new() { Question = "onTime", EqualsValue = "maybe" }), "/questions/3/showIf/equals", "\"yes\" or \"no\""),
        ["choice condition on no such choice"] = (s => ShowIf(s, new() { Question = "workingOutOfBox", EqualsValue = "Broken" }), "/questions/3/showIf/equals", "not one of the choices of 'workingOutOfBox'"),
        ["equals on a rating"] = (s => ShowIf(s, new() { Question = "overall", EqualsValue = "5" }), "/questions/3/showIf/equals", "'overall' is Rating"),
        ["rule without id"] = (s => WithRule(s, 0, r => r with { Id = "" }), "/escalationRules/0/id", "id"),
        ["two rules with one id"] = (s => WithRule(s, 1, r => r with { Id = "low-rating" }), "/escalationRules/1/id", "unique id"),
        ["rule on an unknown question"] = (s => WithRule(s, 1, r => r with { When = new() { Question = "delivery", EqualsValue = "no" } }), "/escalationRules/1/when/question", "'delivery'"),
        ["rule bound outside the scale"] = (s => WithRule(s, 0, r => r with { When = new() { Question = "overall", AtMost = 9 } }), "/escalationRules/0/when", "outside the scale"),
        ["rule equals on free text"] = (s => WithRule(s, 1, r => r with { When = new() { Question = "whatWentWrong", EqualsValue = "broken" } }), "/escalationRules/1/when/equals", "'whatWentWrong' is Text"),
        ["keywords on a rating"] = (s => WithRule(s, 0, r => r with { When = new() { Question = "overall", ContainsAny = ["broken"] } }), "/escalationRules/0/when/containsAny", "'overall' is Rating"),
        ["keywords on a yes/no question"] = (s => WithRule(s, 1, r => r with { When = new() { Question = "onTime", ContainsAny = ["late"] } }), "/escalationRules/1/when/containsAny", "'onTime' is YesNo"),
        ["no keywords"] = (s => WithRule(s, 1, r => r with { When = new() { Question = "whatWentWrong", ContainsAny = [] } }), "/escalationRules/1/when/containsAny", "at least one word"),
        ["an empty keyword"] = (s => WithRule(s, 1, r => r with { When = new() { Question = "whatWentWrong", ContainsAny = ["fire", ""] } }), "/escalationRules/1/when/containsAny", "no empty ones"),
        ["a blank keyword"] = (s => WithRule(s, 1, r => r with { When = new() { Question = "whatWentWrong", ContainsAny = ["  "] } }), "/escalationRules/1/when/containsAny", "no empty ones"),
        ["keywords and a bound in one condition"] = (s => WithRule(s, 1, r => r with { When = new() { Question = "whatWentWrong", ContainsAny = ["fire"], Unanswered = false } }), "/escalationRules/1/when", "exactly one of"),
        ["rule without when"] = (s => WithRule(s, 1, r => r with { When = null! }), "/escalationRules/1/when", "needs a condition"),
        ["trend of one"] = (s => WithRule(s, 0, r => r with { Trend = new() { Count = 1 } }), "/escalationRules/0/trend/count", "between 2 and 100"),
        ["trend of 101"] = (s => WithRule(s, 0, r => r with { Trend = new() { Count = 101 } }), "/escalationRules/0/trend/count", "between 2 and 100"),
        ["trend within 0 days"] = (s => WithRule(s, 0, r => r with { Trend = new() { WithinDays = 0 } }), "/escalationRules/0/trend/withinDays", "between 1 and 365"),
        ["trend within 366 days"] = (s => WithRule(s, 1, r => r with { Trend = new() { WithinDays = 366 } }), "/escalationRules/1/trend/withinDays", "between 1 and 365"),
        ["working hours ending before they start"] = (s => Timed(s, t => t with { WorkingHours = t.WorkingHours! with { End = new(7, 59) } }), "/timing/workingHours/end", "end after they start"),
        ["working hours ending as they start"] = (s => Timed(s, t => t with { WorkingHours = t.WorkingHours! with { End = new(8, 0) } }), "/timing/workingHours/end", "end after they start"),
        ["no working days"] = (s => Timed(s, t => t with { WorkingHours = t.WorkingHours! with { Days = [] } }), "/timing/workingHours/days", "at least one day"),
        ["a working day twice"] = (s => Timed(s, t => t with { WorkingHours = t.WorkingHours! with { Days = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Monday] } }), "/timing/workingHours/days/2", "monday is listed twice"),
        ["a day that does not exist"] = (s => Timed(s, t => t with { WorkingHours = t.WorkingHours! with { Days = [DayOfWeek.Monday, (DayOfWeek)9] } }), "/timing/workingHours/days/1", "9 is not a day"),
        ["a reminder after 0 hours"] = (s => Timed(s, t => t with { ReminderAfterHours = 0 }), "/timing/reminderAfterHours", "at most 720 hours"),
        ["a reminder after -1 hours"] = (s => Timed(s, t => t with { ReminderAfterHours = -1 }), "/timing/reminderAfterHours", "more than 0"),
        ["a reminder after 721 hours"] = (s => Timed(s, t => t with { ReminderAfterHours = 721 }), "/timing/reminderAfterHours", "at most 720 hours"),
        ["a reminder after NaN hours"] = (s => Timed(s, t => t with { ReminderAfterHours = double.NaN }), "/timing/reminderAfterHours", "at most 720 hours"),
        ["-1 reminders"] = (s => Timed(s, t => t with { MaxReminders = -1 }), "/timing/maxReminders", "between 0 (no reminders) and 10"),
        ["11 reminders"] = (s => Timed(s, t => t with { MaxReminders = 11 }), "/timing/maxReminders", "between 0 (no reminders) and 10"),
        ["expiry after 0 hours"] = (s => Timed(s, t => t with { ExpireAfterHours = 0 }), "/timing/expireAfterHours", "at most 2160 hours"),
        ["expiry after 2161 hours"] = (s => Timed(s, t => t with { ExpireAfterHours = 2161 }), "/timing/expireAfterHours", "at most 2160 hours"),
        ["expiry at the last reminder"] = (s => Timed(s, t => t with { ExpireAfterHours = 96 }), "/timing/expireAfterHours", "would expire before its last reminder: 2 reminder(s) 48 hours apart need expireAfterHours above 96"),
        ["expiry before the one reminder a set without maxReminders means"] = (s => Timed(s, t => t with { MaxReminders = null, ReminderAfterHours = 72, ExpireAfterHours = 24 }), "/timing/expireAfterHours", "would expire before its last reminder"),
    };

    public static TheoryData<string> MistakeNames => [.. Mistakes.Keys];

    public static TheoryData<string, string, string> ShapeMistakes => new()
    {
        // JSON of the wrong shape → where the error points, what it says
        { """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"rating","text":"A?"},{"id":"b","type":"stars","text":"B?"}]}""", "/questions/1/type", "\"stars\" is not a question type; use rating, yesNo, choice, text or nps." },
        { """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":7,"text":"A?"}]}""", "/questions/0/type", "7 is not a question type" },
        { """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"rating","text":"A?"}],"escalationRules":[{"id":"r","when":{"question":"a","atMost":2},"severity":"urgent"}]}""", "/escalationRules/0/severity", "\"urgent\" is not a severity" },
        { """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"rating","text":"A?","shownIf":{"question":"a","atMost":2}}]}""", "/questions/0/shownIf", "'shownIf' is not a field" },
        { """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","text":"A?"}]}""", "/questions/0", "missing here: 'type'" },
        { """{"id":"x","name":"X","isDefault":true,"questions":null}""", "/questions", "must not be null" },
        { """{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"choice","text":"A?","choices":["one",null]}]}""", "/questions/0/choices/1", "must not be null" },
        { """{"id":"x","name":"X","isDefault":"yes","questions":[]}""", "/isDefault", "true or false" },
        { """{"id":"x","name":"X","isDefault":true,"checkInDelayHours":"soon","questions":[]}""", "/checkInDelayHours", "a number" },
        { Timing("""{"workingHours":{"start":"9am","end":"17:00"}}"""), "/timing/workingHours/start", "\"9am\" is not a time of day; write hours and minutes from 00:00 to 23:59, e.g. \"09:00\"." },
        { Timing("""{"workingHours":{"start":"09:00","end":"24:00"}}"""), "/timing/workingHours/end", "\"24:00\" is not a time of day" },
        { Timing("""{"workingHours":{"start":"09:00:00","end":"17:00"}}"""), "/timing/workingHours/start", "\"09:00:00\" is not a time of day" },
        { Timing("""{"workingHours":{"start":900,"end":"17:00"}}"""), "/timing/workingHours/start", "900 is not a time of day" },
        { Timing("""{"workingHours":{"start":"09:00","end":"17:00","days":["monday","funday"]}}"""), "/timing/workingHours/days/1", "\"funday\" is not a day; use monday, tuesday, wednesday, thursday, friday, saturday or sunday." },
        { Timing("""{"workingHours":{"start":"09:00","end":"17:00","days":[1]}}"""), "/timing/workingHours/days/0", "1 is not a day" },
        { Timing("""{"workingHours":{"start":"09:00","end":"17:00","days":["1"]}}"""), "/timing/workingHours/days/0", "\"1\" is not a day" },
        { Timing("""{"workingHours":{"start":"09:00","end":"17:00","days":["monday, tuesday"]}}"""), "/timing/workingHours/days/0", "is not a day" },
        { Timing("""{"workingHours":{"start":"09:00"}}"""), "/timing/workingHours", "missing here: 'end'" },
        { Timing("""{"reminderAfter":48}"""), "/timing/reminderAfter", "'reminderAfter' is not a field" },
        { Timing("""{"maxReminders":"one"}"""), "/timing/maxReminders", "a whole number" },
    };

    [Theory]
    [MemberData(nameof(ShapeMistakes))]
    public void Json_of_the_wrong_shape_gives_one_error_at_the_field(string json, string pointer, string says)
    {
        var reading = QuestionSetJson.Read(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Null(reading.Set);
        var error = Assert.Single(reading.Errors);
        Assert.Equal(pointer, error.Pointer);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_valid_set_used_below_has_no_errors()
    {
        Assert.Empty(QuestionSetValidator.Validate(ValidSet()));
        Assert.Empty(QuestionSetValidator.Validate(Timed(ValidSet(), t => t)));
    }

    public static TheoryData<string> TimingsAtTheLimits =>
    [
        """{"workingHours":{"start":"00:00","end":"23:59","days":["Sunday","MONDAY","saturday"]}}""",
        """{"workingHours":{"start":"08:00","end":"08:01"}}""",
        """{"reminderAfterHours":48,"maxReminders":2,"expireAfterHours":96.5}""",
        """{"reminderAfterHours":720,"maxReminders":0,"expireAfterHours":1}""",
        """{"reminderAfterHours":0.5,"maxReminders":10,"expireAfterHours":2160}""",
        """{"expireAfterHours":1}""",
        """{}""",
    ];

    [Theory]
    [MemberData(nameof(TimingsAtTheLimits))]
    public void Timings_at_the_limits_are_valid(string timing)
    {
        var reading = QuestionSetJson.Read(System.Text.Encoding.UTF8.GetBytes(Timing(timing)));

        Assert.Empty(reading.Errors);
        Assert.Empty(QuestionSetValidator.Validate(reading.Set!));
    }

    [Fact]
    public void Timing_is_read_with_days_in_any_case_and_written_back_as_the_schema_spells_it()
    {
        var json = Timing("""{"workingHours":{"start":"08:30","end":"16:00","days":["Monday","WEDNESDAY","friday"]},"reminderAfterHours":24,"maxReminders":2,"expireAfterHours":120}""");

        var set = QuestionSetJson.Read(System.Text.Encoding.UTF8.GetBytes(json)).Set!;

        Assert.Equal(
            new CheckInTiming
            {
                WorkingHours = new() { Start = new(8, 30), End = new(16, 0), Days = set.Timing!.WorkingHours!.Days },
                ReminderAfterHours = 24,
                MaxReminders = 2,
                ExpireAfterHours = 120,
            },
            set.Timing);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday], set.Timing.WorkingHours.Days);
        var written = System.Text.Json.JsonSerializer.Serialize(set.Timing, QuestionSetJson.Output);
        Assert.Equal("""{"workingHours":{"start":"08:30","end":"16:00","days":["monday","wednesday","friday"]},"reminderAfterHours":24,"maxReminders":2,"expireAfterHours":120}""", written);
        Assert.Equal(set.Timing.WorkingHours.Start, StoreJson.Deserialize<QuestionSet>(StoreJson.Serialize(set)).Timing!.WorkingHours!.Start);
        Assert.Equal(set.Timing.WorkingHours.Days, StoreJson.Deserialize<QuestionSet>(StoreJson.Serialize(set)).Timing!.WorkingHours!.Days);
    }

    [Theory]
    [MemberData(nameof(MistakeNames))]
    public void Each_mistake_gives_one_error_pointing_at_its_field(string mistake)
    {
        var (breakIt, pointer, says) = Mistakes[mistake];

        var errors = QuestionSetValidator.Validate(breakIt(ValidSet()));

        var error = Assert.Single(errors);
        Assert.Equal(pointer, error.Pointer);
        Assert.Contains(says, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Null_ids_read_from_json_are_reported_not_thrown()
    {
        var set = StoreJson.Deserialize<QuestionSet>(
            """
            {
              "id": "broken", "name": "Broken", "isDefault": true,
              "questions": [
                { "id": null, "type": "rating", "text": "How was it?" },
                { "id": "why", "type": "text", "text": "Why?", "showIf": { "question": null, "atMost": 2 } }
              ]
            }
            """);

        var errors = QuestionSetValidator.Validate(set);

        Assert.Equal(["/questions/0/id", "/questions/1/showIf/question"], errors.Select(e => e.Pointer));
    }

    public static TheoryData<string> RulesAtTheLimits => new()
    {
        """{ "id": "words", "when": { "question": "whatWentWrong", "containsAny": ["fire", "electric shock"] }, "severity": "high" }""",
        """{ "id": "two-in-a-day", "when": { "question": "overall", "atMost": 2 }, "trend": { "count": 2, "withinDays": 1 } }""",
        """{ "id": "hundred-in-a-year", "when": { "question": "onTime", "equals": "no" }, "trend": { "count": 100, "withinDays": 365 } }""",
    };

    [Theory]
    [MemberData(nameof(RulesAtTheLimits))]
    public void Keyword_and_trend_rules_at_the_limits_are_valid(string ruleJson)
    {
        var rule = StoreJson.Deserialize<EscalationRule>(ruleJson);

        Assert.Empty(QuestionSetValidator.Validate(ValidSet() with { EscalationRules = [rule] }));
    }

    [Fact]
    public void A_rule_with_a_null_condition_read_from_json_is_reported_not_thrown()
    {
        var set = StoreJson.Deserialize<QuestionSet>(
            """
            {
              "id": "broken", "name": "Broken", "isDefault": true,
              "questions": [ { "id": "overall", "type": "rating", "text": "How was it?" } ],
              "escalationRules": [
                { "id": "nothing", "when": null, "trend": { "count": 1 } },
                { "id": "trend", "when": { "question": "overall", "atMost": 2 }, "trend": { "count": 3, "withinDays": 400 } }
              ]
            }
            """);

        var errors = QuestionSetValidator.Validate(set);

        Assert.Equal(["/escalationRules/0/when", "/escalationRules/1/trend/withinDays"], errors.Select(e => e.Pointer));
    }

    public static TheoryData<string> SeededFiles =>
        [.. Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "QuestionSets", "Seeded"), "*.json").Select(f => Path.GetFileName(f)).Order()];

    [Fact]
    public void The_seeded_sets_ship_with_the_bot_and_exactly_one_is_the_default()
    {
        var sets = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "QuestionSets", "Seeded"), "*.json").Select(Seeded).ToList();

        Assert.True(sets.Count >= 3, $"Only {sets.Count} seeded sets were found next to the tests.");
        Assert.Single(sets, s => s.IsDefault);
        Assert.Equal(sets.Count, sets.Select(s => s.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(SeededFiles))]
    public void A_seeded_set_validates_clean_and_asks_what_the_product_promises(string file)
    {
        var set = Seeded(file);

        Assert.Empty(QuestionSetValidator.Validate(set));
        Assert.Equal(QuestionType.Rating, set.FindQuestion("overall")?.Type);
        Assert.Equal(QuestionType.YesNo, set.FindQuestion("onTime")?.Type);
        Assert.Equal(new Condition { Question = "overall", AtMost = 2 }, set.FindQuestion("whatWentWrong")?.ShowIf);
        Assert.Contains(set.EscalationRules, r => r.When == new Condition { Question = "overall", AtMost = 2 });
        Assert.Contains(set.EscalationRules, r => r.When == new Condition { Question = "onTime", EqualsValue = "no" });
    }

    public static TheoryData<int?, string?> FollowUpAfterRating => new()
    {
        // overall rating (null: skipped) → the question asked after the unconditional ones
        { 1, "whatWentWrong" },
        { 2, "whatWentWrong" },
        { 3, null },
        { 5, null },
        { null, null },
    };

    [Theory]
    [MemberData(nameof(FollowUpAfterRating))]
    public void What_went_wrong_is_asked_only_after_a_rating_of_two_or_less(int? rating, string? next)
    {
        var set = ValidSet();
        var answers = Answers(
            rating is { } r ? Given(set, "overall", r.ToString(System.Globalization.CultureInfo.InvariantCulture), r) : Skipped(set, "overall"),
            Given(set, "onTime", "yes"),
            Given(set, "workingOutOfBox", "After some setup"));

        Assert.Equal(next, QuestionSetProgress.Next(set, answers)?.Id);
        Assert.Equal(next is not null, QuestionSetProgress.Visible(set, answers).Any(q => q.Id == "whatWentWrong"));
    }

    [Fact]
    public void Questions_are_asked_in_order_skipping_those_already_answered()
    {
        var set = ValidSet();

        Assert.Equal("overall", QuestionSetProgress.Next(set, Answers())?.Id);
        Assert.Equal("onTime", QuestionSetProgress.Next(set, Answers(Given(set, "overall", "4", 4)))?.Id);
        Assert.Equal(["onTime", "workingOutOfBox"], QuestionSetProgress.Open(set, Answers(Given(set, "overall", "4", 4))).Select(q => q.Id));
    }

    public static TheoryData<string, string?, bool> Conditions => new()
    {
        // condition (question:comparison) · answer (value or "skip"; null: no answer) · holds
        { "overall:atLeast=4", "4", true },
        { "overall:atLeast=4", "3", false },
        { "overall:atMost=2", "skip", false },
        { "overall:atMost=2", null, false },
        { "onTime:equals=no", "no", true },
        { "onTime:equals=no", "yes", false },
        { "workingOutOfBox:equals=after some setup", "After some setup", true },
        { "workingOutOfBox:unanswered=true", "skip", true },
        { "workingOutOfBox:unanswered=true", null, true },
        { "workingOutOfBox:unanswered=true", "Yes, right away", false },
        { "workingOutOfBox:unanswered=false", "Yes, right away", true },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void A_condition_holds_only_for_the_answers_it_names(string condition, string? answer, bool holds)
    {
        var set = ValidSet();
        var (question, comparison) = (condition.Split(':')[0], condition.Split(':')[1].Split('='));
        var when = comparison[0] switch
        {
            "atLeast" => new Condition { Question = question, AtLeast = int.Parse(comparison[1], System.Globalization.CultureInfo.InvariantCulture) },
            "atMost" => new Condition { Question = question, AtMost = int.Parse(comparison[1], System.Globalization.CultureInfo.InvariantCulture) },
            "equals" => new Condition { Question = question, EqualsValue = comparison[1] },
            _ => new Condition { Question = question, Unanswered = bool.Parse(comparison[1]) },
        };
        var answers = answer switch
        {
            null => Answers(),
            "skip" => Answers(Skipped(set, question)),
            _ => Answers(Given(set, question, answer, int.TryParse(answer, out var n) ? n : null)),
        };

        Assert.Empty(QuestionSetValidator.Validate(ShowIf(set, when)));
        Assert.Equal(holds, when.IsSatisfiedBy(answers));
    }

    private static QuestionSet ValidSet() => new()
    {
        Id = "it-hardware",
        Name = "IT hardware",
        Categories = ["laptops"],
        Questions =
        [
            Rating("overall"),
            new() { Id = "onTime", Type = QuestionType.YesNo, Text = "Did it arrive when you needed it?" },
            new() { Id = "workingOutOfBox", Type = QuestionType.Choice, Text = "Did it work?", Required = false, Choices = ["Yes, right away", "After some setup"] },
            new() { Id = "whatWentWrong", Type = QuestionType.Text, Text = "What went wrong?", Required = false, ShowIf = new() { Question = "overall", AtMost = 2 } },
        ],
        EscalationRules =
        [
            new() { Id = "low-rating", When = new() { Question = "overall", AtMost = 2 }, Severity = Severity.High },
            new() { Id = "late", When = new() { Question = "onTime", EqualsValue = "no" } },
        ],
    };

    /// <summary>The valid set with valid timing of its own, changed by <paramref name="change"/>.</summary>
    private static QuestionSet Timed(QuestionSet set, Func<CheckInTiming, CheckInTiming> change) => set with
    {
        Timing = change(new CheckInTiming
        {
            WorkingHours = new() { Start = new(8, 0), End = new(16, 0), Days = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday] },
            ReminderAfterHours = 48,
            MaxReminders = 2,
            ExpireAfterHours = 168,
        }),
    };

    /// <summary>A minimal valid set, as JSON, with this timing.</summary>
    private static string Timing(string timing) =>
        $$"""{"id":"x","name":"X","isDefault":true,"questions":[{"id":"a","type":"rating","text":"A?"}],"timing":{{timing}}}""";

    private static Question Rating(string id) => new() { Id = id, Type = QuestionType.Rating, Text = "How happy are you with {description}?" };

    private static QuestionSet WithQuestion(QuestionSet set, int index, Func<Question, Question> change) =>
        set with { Questions = [.. set.Questions.Select((q, i) => i == index ? change(q) : q)] };

    private static QuestionSet ShowIf(QuestionSet set, Condition condition) =>
        WithQuestion(set, 3, q => q with { ShowIf = condition });

    private static QuestionSet WithRule(QuestionSet set, int index, Func<EscalationRule, EscalationRule> change) =>
        set with { EscalationRules = [.. set.EscalationRules.Select((r, i) => i == index ? change(r) : r)] };

    private static QuestionSet Seeded(string file) =>
        StoreJson.Deserialize<QuestionSet>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "QuestionSets", "Seeded", file)));

    private static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static Answer Given(QuestionSet set, string questionId, string value, int? number = null) =>
        Answer.Of(set.FindQuestion(questionId)!, new ParsedValue(value, number), At);

    private static Answer Skipped(QuestionSet set, string questionId) => Answer.Skip(set.FindQuestion(questionId)!, At);

    private static Dictionary<string, Answer> Answers(params Answer[] answers) => answers.ToDictionary(a => a.QuestionId);
}
