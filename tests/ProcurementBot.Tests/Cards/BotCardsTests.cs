using System.Text.Json;
using ProcurementBot.BotFramework;
using ProcurementBot.BotFramework.Cards;
using ProcurementBot.CheckIns;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;
using ProcurementBot.Storage;

namespace ProcurementBot.Tests.Cards;

/// <summary>
/// Every Adaptive Card the bot sends, built by the bot's own code and serialised as it goes to Teams,
/// checked by the official renderer: check-in cards for each seeded question set and the read-only summary.
/// </summary>
public sealed class BotCardsTests
{
    private const int TeamsMaxBytes = 28 * 1024;
    private static readonly DateTimeOffset Delivered = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static string QuestionSetFolder => Path.Combine(NodeTools.RepoRoot, "bot", "QuestionSets", "Seeded");

    private static List<string> SeededSetIds =>
        [.. Directory.EnumerateFiles(QuestionSetFolder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> SeededSets => [.. SeededSetIds];

    private static QuestionSet Seeded(string id) =>
        StoreJson.Deserialize<QuestionSet>(File.ReadAllText(Path.Combine(QuestionSetFolder, id + ".json")));

    private static Purchase Purchase(string description = "Latitude 7450 laptop", string supplier = "Dell", string id = "PO-4711") => new()
    {
        PurchaseId = id,
        RequesterEmail = "megan.bowen@contoso.com",
        Supplier = supplier,
        Category = "laptops",
        Description = description,
        DeliveredAt = Delivered,
    };

    /// <summary>As long as purchase intake allows (description 500, supplier and id 200), with emoji across the cut.</summary>
    private static Purchase LongestPurchase() => Purchase(
        description: Repeat("Ergonomic office chair 🪑 with lumbar support, ", 500),
        supplier: Repeat("Büromöbel Großhandel & Söhne 🏭 ", 200),
        id: Repeat("PO-2026-", 200));

    private static string Repeat(string text, int length)
    {
        var builder = new StringBuilder();
        while (builder.Length < length)
        {
            builder.Append(text);
        }

        // Never end on half an emoji: intake would not accept broken text either.
        var cut = char.IsHighSurrogate(builder[length - 1]) ? length - 1 : length;
        return builder.ToString(0, cut);
    }

    private static CheckIn CheckIn(Purchase purchase, QuestionSet set, params Answer[] answers) => new()
    {
        Id = purchase.PurchaseId,
        Purchase = purchase,
        RequesterKey = purchase.RequesterEmail,
        QuestionSetId = set.Id,
        QuestionSetVersion = set.Version,
        Status = CheckInStatus.InProgress,
        DueAt = Delivered.AddDays(1),
        CreatedAt = Delivered,
        Answers = answers,
    };

    private static Answer Said(QuestionSet set, string questionId, string text, int? number = null) =>
        Answer.Of(set.FindQuestion(questionId)!, new ParsedValue(text, number), Delivered.AddDays(1));

    private static Answer Skipped(QuestionSet set, string questionId) => Answer.Skip(set.FindQuestion(questionId)!, Delivered.AddDays(1));

    /// <summary>Answers to every question without a condition, with a low rating so the follow-up applies.</summary>
    private static Answer[] LowRatingAnswers(QuestionSet set) =>
        [.. set.Questions.Where(q => q.ShowIf is null).Select(q => q.Type switch
        {
            QuestionType.Rating => Said(set, q.Id, "1", 1),
            QuestionType.Nps => Said(set, q.Id, "3", 3),
            QuestionType.YesNo => Said(set, q.Id, "no"),
            QuestionType.Choice => Said(set, q.Id, q.Choices[^1]),
            _ => Said(set, q.Id, "It arrived broken."),
        })];

    /// <summary>The card as Teams receives it: rendered to an activity and serialised by the bot's protocol options.</summary>
    private static JsonObject Sent(Reply reply)
    {
        var activity = JsonSerializer.SerializeToNode(ReplyRenderer.Message(reply, "msteams", "29:megan"), ProtocolJson.Options)!;
        Assert.True(Encoding.UTF8.GetByteCount(activity.ToJsonString()) < TeamsMaxBytes, "The whole message must stay under 28 KB.");
        var attachment = Assert.Single(activity["attachments"]!.AsArray())!;
        Assert.Equal(AdaptiveCard.ContentType, attachment["contentType"]!.GetValue<string>());
        return attachment["content"]!.DeepClone().AsObject();
    }

    private static JsonObject QuestionsCard(CheckIn checkIn, QuestionSet set, string? greeting) =>
        Sent(new CheckInCardReply(CheckInConversation.CardFor(checkIn, set, greeting)));

    /// <summary>The summary as the conversation builds it: each answer's question text and how it reads back.</summary>
    private static JsonObject SummaryCard(CheckIn checkIn, QuestionSet set, string status)
    {
        var answers = checkIn.Answers
            .Select(a => (QuestionSetProgress.TextOf(set.FindQuestion(a.QuestionId)!, checkIn.Purchase), a.Display()))
            .ToList();
        return Sent(new CheckInSummaryReply("1:card-message", new CheckInSummary(checkIn.Id, checkIn.Purchase, status, answers)));
    }

    private static List<string> InputIds(JsonNode node) =>
        [.. Descendants(node).Where(n => n["type"]?.GetValue<string>().StartsWith("Input.", StringComparison.Ordinal) == true).Select(n => n["id"]!.GetValue<string>())];

    private static List<string> ActionTypes(JsonNode node) =>
        [.. Descendants(node).Where(n => n["type"]?.GetValue<string>().StartsWith("Action.", StringComparison.Ordinal) == true).Select(n => n["type"]!.GetValue<string>())];

    private static IEnumerable<JsonObject> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => [o, .. o.SelectMany(p => Descendants(p.Value))],
        JsonArray a => a.SelectMany(Descendants),
        _ => [],
    };

    /// <summary>Every string in the card, one per line.</summary>
    private static string AllText(JsonNode? node) => node switch
    {
        JsonObject o => string.Join("\n", o.Select(p => AllText(p.Value))),
        JsonArray a => string.Join("\n", a.Select(AllText)),
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => "",
    };

    /// <summary>No replacement characters and no half emoji (a lone UTF-16 surrogate) anywhere in the card.</summary>
    private static void AssertWellFormedText(JsonNode card)
    {
        var text = AllText(card);
        Assert.DoesNotContain('\uFFFD', text);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else
            {
                Assert.False(char.IsSurrogate(text[i]), $"Half an emoji at {i}: ...{text[Math.Max(0, i - 20)..i]}");
            }
        }
    }

    /// <summary>Teams' limits, then the official renderer.</summary>
    private static async Task AssertSendableAsync(params JsonObject[] cards)
    {
        foreach (var card in cards)
        {
            Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
            Assert.Equal("1.5", card["version"]!.GetValue<string>());
            Assert.True(Encoding.UTF8.GetByteCount(card.ToJsonString()) < TeamsMaxBytes, "A card must stay under 28 KB.");
            Assert.All(ActionTypes(card), type => Assert.Equal("Action.Submit", type));
            AssertWellFormedText(card);
        }

        await AdaptiveCardValidator.AssertValidAsync(cards);
    }

    private static void AssertAsksWithSubmit(JsonObject card, string checkInId)
    {
        var submit = Assert.Single(card["actions"]!.AsArray())!;
        Assert.Equal("Action.Submit", submit["type"]!.GetValue<string>());
        Assert.Equal(CardSubmission.AnswerAction, submit["data"]!["action"]!.GetValue<string>());
        Assert.Equal(checkInId, submit["data"]!["checkInId"]!.GetValue<string>());
    }

    [Fact]
    public void The_three_seeded_question_sets_are_all_covered()
    {
        Assert.Equal(["general-goods", "it-hardware", "services"], SeededSetIds);
    }

    [Theory]
    [MemberData(nameof(SeededSets))]
    public async Task The_first_check_in_card_of_each_seeded_set_is_valid_and_holds_back_follow_ups(string setId)
    {
        var set = Seeded(setId);
        var checkIn = CheckIn(Purchase(), set);

        var card = QuestionsCard(checkIn, set, BotText.Greeting("Megan Bowen", checkIn.Purchase));

        await AssertSendableAsync(card);
        AssertAsksWithSubmit(card, checkIn.Id);
        var expected = set.Questions.Where(q => q.ShowIf is null).Select(q => CheckInCards.InputPrefix + q.Id);
        Assert.Equal(expected, InputIds(card));
    }

    [Theory]
    [MemberData(nameof(SeededSets))]
    public async Task The_follow_up_card_after_a_low_rating_is_valid_and_asks_what_went_wrong(string setId)
    {
        var set = Seeded(setId);
        var checkIn = CheckIn(Purchase(), set, LowRatingAnswers(set));

        var card = QuestionsCard(checkIn, set, greeting: null);

        await AssertSendableAsync(card);
        AssertAsksWithSubmit(card, checkIn.Id);
        Assert.Equal([CheckInCards.InputPrefix + "whatWentWrong"], InputIds(card));
        Assert.Contains("A follow-up question:", AllText(card), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SeededSets))]
    public async Task A_card_with_open_questions_and_the_follow_up_together_is_valid(string setId)
    {
        var set = Seeded(setId);
        var checkIn = CheckIn(Purchase(), set, Said(set, "overall", "2", 2));

        var card = QuestionsCard(checkIn, set, greeting: null);

        await AssertSendableAsync(card);
        var ids = InputIds(card);
        Assert.DoesNotContain(CheckInCards.InputPrefix + "overall", ids);
        Assert.Contains(CheckInCards.InputPrefix + "onTime", ids);
        Assert.Equal(CheckInCards.InputPrefix + "whatWentWrong", ids[^1]);
    }

    [Theory]
    [MemberData(nameof(SeededSets))]
    public async Task Cards_for_the_longest_purchase_intake_accepts_stay_valid_and_under_28_KB(string setId)
    {
        var set = Seeded(setId);
        var purchase = LongestPurchase();
        var first = QuestionsCard(CheckIn(purchase, set), set, BotText.Greeting("Megan Bowen", purchase));
        var followUp = QuestionsCard(CheckIn(purchase, set, LowRatingAnswers(set)), set, greeting: null);
        var summary = SummaryCard(CheckIn(purchase, set, LowRatingAnswers(set)), set, "Answered so far");

        await AssertSendableAsync(first, followUp, summary);
        Assert.Contains("🪑", AllText(first), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SeededSets))]
    public async Task The_summary_card_is_read_only_and_valid_with_a_long_comment_emoji_and_skipped_answers(string setId)
    {
        var set = Seeded(setId);
        var purchase = Purchase(description: "Surface Laptop 7 💻", supplier: "Microsoft 🏢");
        var comment = Repeat("The screen flickers 😡 and the charger 🔌 was missing; IT had to lend me one. ", 1900);
        var answered = CheckIn(purchase, set, [.. LowRatingAnswers(set), Said(set, "whatWentWrong", comment)]);
        var skipped = CheckIn(purchase, set, [.. set.Questions.Select(q => q.Required ? LowRatingAnswers(set).Single(a => a.QuestionId == q.Id) : Skipped(set, q.Id))]);

        var cards = new[]
        {
            SummaryCard(answered, set, "Answered"),
            SummaryCard(skipped, set, "Answered"),
            SummaryCard(CheckIn(purchase, set, Said(set, "overall", "5", 5)), set, "Stopped"),
            SummaryCard(CheckIn(purchase, set), set, "Stopped"),
        };

        await AssertSendableAsync(cards);
        Assert.All(cards, card => Assert.Null(card["actions"]));
        Assert.All(cards, card => Assert.Empty(InputIds(card)));
        Assert.Contains("1/5 ★", AllText(cards[0]), StringComparison.Ordinal);
        Assert.Contains("The screen flickers 😡", AllText(cards[0]), StringComparison.Ordinal);
        Assert.Contains("skipped", AllText(cards[1]), StringComparison.Ordinal);
        Assert.Contains("💻", AllText(cards[2]), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SeededSets))]
    public async Task Text_cut_short_for_the_card_never_splits_an_emoji(string setId)
    {
        var set = Seeded(setId);

        // The emoji straddles the point where card text is cut; so does one in the comment.
        var purchase = Purchase(description: new string('a', 118) + "🪑 chair", supplier: new string('b', 118) + "🏭 works");
        var comment = new string('c', 998) + "😡 and more";
        var checkIn = CheckIn(purchase, set, [.. LowRatingAnswers(set), Said(set, "whatWentWrong", comment)]);

        await AssertSendableAsync(
            QuestionsCard(CheckIn(purchase, set), set, BotText.Greeting("Megan", purchase)),
            SummaryCard(checkIn, set, "Answered"));
    }
}
