using System.Text.Json;
using ProcurementBot.BotFramework.Cards;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.Tests.Cards;

/// <summary>
/// The escalation card in every state it can be in, built by the bot's own code and checked by the official
/// renderer: valid, version 1.5, under 28 KB, Action.Execute only, and only the actions the state allows.
/// </summary>
public sealed class EscalationCardsTests
{
    private const int TeamsMaxBytes = 28 * 1024;
    private static readonly DateTimeOffset Raised = new(2026, 3, 5, 8, 15, 0, TimeSpan.Zero);
    private static readonly Actor Diego = new("msteams:29:diego", "Diego Siciliani", "a1b2", "diego@contoso.com");

    private static readonly Person Buyer = new()
    {
        Id = "msteams:29:diego",
        Channel = "msteams",
        UserId = "29:diego",
        Name = "Diego Siciliani",
        Email = "diego@contoso.com",
        FirstSeenAt = Raised,
        UpdatedAt = Raised,
    };

    private static Escalation Open(string? comment = "The screen was cracked and the charger missing.") => new()
    {
        Id = "checkin:PO-4711",
        Kind = EscalationKind.CheckIn,
        Supplier = "Dell",
        Category = "laptops",
        Purchase = new Purchase
        {
            PurchaseId = "PO-4711",
            RequesterEmail = "megan.bowen@contoso.com",
            Supplier = "Dell",
            Category = "laptops",
            Description = "Latitude 7450 laptop",
            DeliveredAt = Raised.AddDays(-4),
            Amount = 1499m,
            Currency = "EUR",
            BuyerEmail = Buyer.Email,
        },
        CheckInId = "PO-4711",
        RequesterName = "Megan Bowen",
        RequesterEmail = "megan.bowen@contoso.com",
        Answers =
        [
            new("overall", "How happy are you with Latitude 7450 laptop from Dell?", "1/5 ★"),
            new("onTime", "Did it arrive when you needed it?", "No"),
            new("whatWentWrong", "What went wrong?", comment ?? "skipped"),
        ],
        Comment = comment,
        Rules = [new("low-rating", Severity.High, "Rated 2 or less"), new("late", Severity.Medium, "Did not arrive when needed")],
        Severity = Severity.High,
        Status = EscalationStatus.Open,
        CreatedAt = Raised,
        Revision = 0,
    };

    private static Escalation Acknowledged() => Open() with
    {
        Status = EscalationStatus.Acknowledged,
        AcknowledgedAt = Raised.AddHours(1),
        AcknowledgedBy = Diego.Name,
        Revision = 1,
        History = [new(Raised.AddHours(1), Diego.Name, "acknowledged it")],
    };

    private static Escalation Assigned() => Acknowledged() with
    {
        Owner = Diego,
        Revision = 2,
        History = [.. Acknowledged().History, new(Raised.AddHours(2), Diego.Name, "took ownership")],
    };

    private static Escalation Resolved() => Assigned() with
    {
        Status = EscalationStatus.Resolved,
        ResolvedAt = Raised.AddDays(1),
        ResolvedBy = Diego.Name,
        ResolutionNote = "Replacement ships Thursday.",
        Revision = 3,
        History = [.. Assigned().History, new(Raised.AddDays(1), Diego.Name, "resolved it")],
    };

    private static Escalation Reopened() => Resolved() with
    {
        Status = EscalationStatus.Acknowledged,
        ResolvedAt = null,
        ResolvedBy = null,
        Revision = 4,
        History = [.. Resolved().History, new(Raised.AddDays(2), "Lynne Robbins", "reopened it")],
    };

    private static Escalation Overdue() => Assigned() with { OverdueSince = Raised.AddDays(3) };

    private static Escalation Trend() => new()
    {
        Id = "supplier:dell:supplier-trend:1772697600",
        Kind = EscalationKind.SupplierTrend,
        Supplier = "Dell",
        Category = "laptops",
        Rules = [new("supplier-trend", Severity.High, "3 ratings of 2 or less for this supplier within 30 days")],
        Severity = Severity.High,
        RelatedCheckIns = ["PO-4711", "PO-4712", "PO-4713"],
        Status = EscalationStatus.Open,
        CreatedAt = Raised,
    };

    private static Escalation Anonymous() => Open() with { RequesterName = null, RequesterEmail = null };

    /// <summary>A comment far beyond any card, with emoji across every possible cut, and a long history.</summary>
    private static Escalation Long()
    {
        var text = new StringBuilder();
        while (text.Length < 60_000)
        {
            text.Append("Broken again 💥😡 — the hinge snapped, ");
        }

        var history = Enumerable.Range(0, 200).Select(i => new EscalationEvent(Raised.AddMinutes(i), new string('N', 300), i % 2 == 0 ? "resolved it" : "reopened it"));
        return Open(text.ToString()) with
        {
            Answers = [.. Open().Answers.Take(2), new("whatWentWrong", "What went wrong?", text.ToString())],
            History = [.. history],
            Rules = [.. Enumerable.Range(0, 5).Select(i => new FiredRule($"rule-{i}", Severity.High, new string('R', 400)))],
            RelatedCheckIns = [.. Enumerable.Range(0, 500).Select(i => $"PO-{i}")],
        };
    }

    /// <summary>A big question set answered at length: only the tighter budgets keep this under the limit.</summary>
    private static Escalation Crowded() => Open() with
    {
        Answers = [.. Enumerable.Range(0, 80).Select(i => new EscalatedAnswer($"q{i}", $"Question {i} 🧐 " + new string('q', 300), new string('a', 999) + "🙂"))],
        Rules = [.. Enumerable.Range(0, 10).Select(i => new FiredRule($"rule-{i}", Severity.Medium, new string('R', 400)))],
    };

    private static readonly string[] States = ["open", "acknowledged", "assigned", "resolved", "reopened", "overdue", "trend", "anonymous", "long", "crowded"];

    private static Escalation State(string name) => name switch
    {
        "open" => Open(),
        "acknowledged" => Acknowledged(),
        "assigned" => Assigned(),
        "resolved" => Resolved(),
        "reopened" => Reopened(),
        "overdue" => Overdue(),
        "trend" => Trend(),
        "anonymous" => Anonymous(),
        "long" => Long(),
        "crowded" => Crowded(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Fact]
    public async Task Every_card_state_is_valid_for_Teams()
    {
        var cards = States.Select(n => EscalationCards.Card(State(n), Buyer)).Cast<object>().ToArray();

        await AdaptiveCardValidator.AssertValidAsync(cards);

        var report = await AdaptiveCardValidator.ValidateAsync(cards);
        foreach (var (name, card) in States.Zip(report.Cards))
        {
            Assert.True(card.SizeBytes < TeamsMaxBytes, $"{name}: {card.SizeBytes} bytes");
            Assert.Equal("1.5", card.Version);
            Assert.Equal(["Action.Execute"], card.ActionTypes);
            Assert.Empty(card.Warnings);
        }
    }

    [Theory]
    [InlineData("open", new[] { "escalation.acknowledge", "escalation.assign", "escalation.resolve" })]
    [InlineData("acknowledged", new[] { "escalation.assign", "escalation.resolve" })]
    [InlineData("assigned", new[] { "escalation.assign", "escalation.resolve" })]
    [InlineData("overdue", new[] { "escalation.assign", "escalation.resolve" })]
    [InlineData("resolved", new[] { "escalation.reopen" })]
    [InlineData("reopened", new[] { "escalation.assign", "escalation.resolve" })]
    public void Only_the_actions_valid_in_the_state_are_offered_each_naming_the_escalation_and_revision(string state, string[] verbs)
    {
        var escalation = State(state);
        var card = Json(EscalationCards.Card(escalation));

        var actions = card["actions"]!.AsArray();
        Assert.Equal(verbs, actions.Select(a => a!["verb"]!.GetValue<string>()));
        Assert.All(actions, a => Assert.Equal(escalation.Id, a!["data"]!["escalationId"]!.GetValue<string>()));
        Assert.All(actions, a => Assert.Equal(escalation.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), a!["data"]!["revision"]!.GetValue<string>()));
        // Only Resolve takes the note; the others work with it empty.
        Assert.All(actions, a => Assert.Equal(a!["verb"]!.GetValue<string>() == "escalation.resolve" ? null : "none", a["associatedInputs"]?.GetValue<string>()));
        var note = card["body"]!.AsArray().SingleOrDefault(e => e!["type"]!.GetValue<string>() == "Input.Text");
        Assert.Equal(verbs.Contains("escalation.resolve"), note is not null);
        if (note is not null)
        {
            Assert.True(note["isRequired"]!.GetValue<bool>());
            Assert.Equal(1000, note["maxLength"]!.GetValue<int>());
            Assert.False(string.IsNullOrEmpty(note["label"]!.GetValue<string>()));
        }
    }

    [Theory]
    [InlineData("open", "**Open**")]
    [InlineData("acknowledged", "**Acknowledged** by Diego Siciliani on {{DATE(2026-03-05T09:15:00Z, SHORT)}}")]
    [InlineData("assigned", "owner: **Diego Siciliani**")]
    [InlineData("resolved", "**Resolved** by Diego Siciliani on {{DATE(2026-03-06T08:15:00Z, SHORT)}}")]
    [InlineData("resolved", "Replacement ships Thursday.")]
    [InlineData("reopened", "Lynne Robbins reopened it")]
    [InlineData("overdue", "**Overdue since** {{DATE(2026-03-08T08:15:00Z, SHORT)}}")]
    [InlineData("trend", "3 ratings of 2 or less for this supplier within 30 days")]
    public void The_status_line_and_history_say_who_did_what_and_when(string state, string expected)
    {
        Assert.Contains(expected, Text(Json(EscalationCards.Card(State(state)))), StringComparison.Ordinal);
    }

    [Fact]
    public void The_buyer_is_mentioned_in_the_text_and_in_the_Teams_entities()
    {
        var card = Json(EscalationCards.Card(Open(), Buyer));

        var mention = card["msteams"]!["entities"]![0]!;
        Assert.Equal("mention", mention["type"]!.GetValue<string>());
        Assert.Equal("<at>Diego Siciliani</at>", mention["text"]!.GetValue<string>());
        Assert.Equal("29:diego", mention["mentioned"]!["id"]!.GetValue<string>());
        Assert.Contains("<at>Diego Siciliani</at>", Text(card), StringComparison.Ordinal);
        Assert.Null(Json(EscalationCards.Card(Open()))["msteams"]!["entities"]);
    }

    [Fact]
    public void An_anonymous_card_names_nobody_and_a_trend_card_counts_its_check_ins()
    {
        var anonymous = Text(Json(EscalationCards.Card(Anonymous())));
        var trend = Text(Json(EscalationCards.Card(Trend())));

        Assert.DoesNotContain("Megan", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain("Requested by", anonymous, StringComparison.Ordinal);
        Assert.Contains("supplier trend for Dell", trend, StringComparison.Ordinal);
        Assert.Contains("Check-ins | 3", trend, StringComparison.Ordinal);
        Assert.Contains("PO-4711, PO-4712, PO-4713", trend, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_typed_by_a_requester_or_a_buyer_stays_plain_text_on_the_card()
    {
        const string comment = "Ask [the supplier](https://evil.example/login) about **this**";
        const string note = "Refunded, see [ticket](https://evil.example/t) _now_";
        var card = EscalationCards.Card(Open(comment) with
        {
            Status = EscalationStatus.Resolved,
            ResolvedBy = "Bob",
            ResolvedAt = Raised.AddHours(1),
            ResolutionNote = note,
        });
        var json = Json(card);

        // Neither text is in a TextBlock (read as Markdown): each is a TextRun, which is shown as typed.
        Assert.DoesNotContain(Blocks(json, "TextBlock"), b => b.Contains("evil.example", StringComparison.Ordinal));
        Assert.Contains(Blocks(json, "TextRun"), b => b.Contains(comment, StringComparison.Ordinal));
        Assert.Contains(Blocks(json, "TextRun"), b => b.Contains(note, StringComparison.Ordinal));
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    /// <summary>The JSON of every element of this type anywhere in the card.</summary>
    private static List<string> Blocks(JsonNode node, string type)
    {
        var found = new List<string>();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                if (o["type"]?.GetValue<string>() == type)
                {
                    found.Add(o.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                }

                foreach (var (_, child) in o)
                {
                    Walk(child);
                }
            }
            else if (n is JsonArray a)
            {
                foreach (var child in a)
                {
                    Walk(child);
                }
            }
        }

        Walk(node);
        return found;
    }

    [Fact]
    public void A_very_long_comment_is_cut_without_splitting_an_emoji()
    {
        var card = Json(EscalationCards.Card(Long(), Buyer));

        var text = Text(card);
        Assert.Contains("…", text, StringComparison.Ordinal);
        Assert.Contains("earlier)", text, StringComparison.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            Assert.False(char.IsHighSurrogate(text[i]) && (i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])), $"A lone high surrogate at {i}");
            Assert.False(char.IsLowSurrogate(text[i]) && (i == 0 || !char.IsHighSurrogate(text[i - 1])), $"A lone low surrogate at {i}");
        }
    }

    private static JsonNode Json(AdaptiveCard card) => AdaptiveCardValidator.ToJson(card);

    private static string Text(JsonNode node) => CardText.Of(node);
}
