using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;
using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Slack;

/// <summary>The escalation message in Block Kit on its own: escaping, Block Kit's limits, the buttons per state.</summary>
public sealed class SlackEscalationBlocksTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("a & b", "a &amp; b")]
    [InlineData("<@U123> <!channel> <!here>", "&lt;@U123&gt; &lt;!channel&gt; &lt;!here&gt;")]
    [InlineData("<https://evil.example|click>", "&lt;https://evil.example|click&gt;")]
    [InlineData("already &amp; escaped", "already &amp;amp; escaped")]
    [InlineData("*bold* stays mrkdwn", "*bold* stays mrkdwn")]
    public void People_s_text_is_escaped_as_Slack_asks(string text, string escaped) =>
        Assert.Equal(escaped, SlackEscalationBlocks.Escape(text, 3000));

    [Fact]
    public void Cutting_escaped_text_never_splits_an_entity_or_an_emoji()
    {
        var entities = SlackEscalationBlocks.Escape(new string('<', 2000), 3000);
        var emoji = SlackEscalationBlocks.Escape(string.Concat(Enumerable.Repeat("😀", 2000)), 3000);
        var exact = SlackEscalationBlocks.Escape(new string('&', 600), 3000);

        Assert.True(entities.Length <= 3000);
        Assert.EndsWith("…", entities, StringComparison.Ordinal);
        Assert.Equal(string.Concat(Enumerable.Repeat("&lt;", (entities.Length - 1) / 4)), entities[..^1]);
        Assert.True(emoji.Length <= 3000);
        Assert.All(Enumerable.Range(0, emoji.Length), i => Assert.Equal(char.IsHighSurrogate(emoji[i]), i + 1 < emoji.Length && char.IsLowSurrogate(emoji[i + 1])));
        Assert.EndsWith("😀…", emoji, StringComparison.Ordinal);
        Assert.Equal(3000, exact.Length);
        Assert.DoesNotContain("…", exact, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_escalation_stays_within_Block_Kit_s_limits_and_keeps_its_buttons()
    {
        var huge = Escalation() with
        {
            Purchase = Purchase() with { Description = new string('D', 200), Supplier = new string('<', 200), PurchaseId = new string('P', 200) },
            Supplier = new string('<', 200),
            RequesterName = new string('N', 200),
            RequesterEmail = new string('e', 300) + "@contoso.com",
            Answers = [.. Enumerable.Range(1, 80).Select(i => new EscalatedAnswer($"q{i}", new string('Q', 300), new string('>', 600)))],
            Comment = string.Concat(Enumerable.Repeat("<!channel> & ", 2000)),
            Rules = [.. Enumerable.Range(1, 40).Select(i => new FiredRule($"r{i}", Severity.High, new string('&', 300)))],
            History = [.. Enumerable.Range(1, 300).Select(i => new EscalationEvent(T0.AddMinutes(i), new string('A', 200), "acknowledged it"))],
            ResolutionNote = new string('<', 1000),
            Status = EscalationStatus.Resolved,
            ResolvedBy = new string('R', 200),
        };

        foreach (var state in new[] { huge, huge with { Status = EscalationStatus.Open, OverdueSince = T0 } })
        {
            var (text, blocks) = SlackEscalationBlocks.Message(state, null);

            SlackEscalationFlowTests.WithinBlockKitLimits(blocks);
            Assert.True(text.Length <= 3000);
            Assert.NotEmpty(SlackEscalationPayloads.ActionIds(blocks));
            Assert.DoesNotContain("<!channel>", blocks.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Buttons_follow_the_state_and_carry_the_escalation_and_its_revision()
    {
        var open = Escalation() with { Revision = 7 };

        Assert.Equal(["escalation.acknowledge", "escalation.assign", "escalation.resolve"], ActionIds(open));
        Assert.Equal(["escalation.assign", "escalation.resolve"], ActionIds(open with { Status = EscalationStatus.Acknowledged }));
        Assert.Equal(["escalation.reopen"], ActionIds(open with { Status = EscalationStatus.Resolved }));
        var (_, blocks) = SlackEscalationBlocks.Message(open, null);
        var value = SlackEscalationPayloads.Button(blocks, "escalation.resolve")!["value"]!.GetValue<string>();
        Assert.Equal(new ButtonValue(open.Id, 7), SlackEscalationBlocks.ReadButton(value));
        Assert.Null(SlackEscalationBlocks.ReadButton("not json"));
        Assert.Null(SlackEscalationBlocks.ReadButton("{}"));
    }

    [Fact]
    public void Only_a_Slack_buyer_is_mentioned()
    {
        var slackBuyer = Buyer("slack", "U0BUYER01");
        var teamsBuyer = Buyer("msteams", "29:1abc");

        Assert.Contains("<@U0BUYER01>, this is about", SlackEscalationFlowTests.Visible(SlackEscalationBlocks.Message(Escalation(), slackBuyer).Blocks), StringComparison.Ordinal);
        Assert.DoesNotContain("<@", SlackEscalationFlowTests.Visible(SlackEscalationBlocks.Message(Escalation(), teamsBuyer).Blocks), StringComparison.Ordinal);
    }

    [Fact]
    public void A_supplier_trend_names_the_supplier_rule_and_orders()
    {
        var trend = Escalation() with
        {
            Id = "supplier:dell:supplier-trend:1700000000",
            Kind = EscalationKind.SupplierTrend,
            Purchase = null,
            RelatedCheckIns = ["PO-1", "PO-2", "PO-3"],
            Rules = [new FiredRule("supplier-trend", Severity.High, "3 ratings of 2 or less within 30 days")],
        };

        var text = SlackEscalationFlowTests.Visible(SlackEscalationBlocks.Message(trend, null).Blocks);

        Assert.Contains("supplier trend for Dell", text, StringComparison.Ordinal);
        Assert.Contains("3 ratings of 2 or less within 30 days", text, StringComparison.Ordinal);
        Assert.Contains("Orders: PO-1, PO-2, PO-3", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<@U0PROCBOT> escalate here", "U0PROCBOT", "escalate here")]
    [InlineData("<@U0PROCBOT>   Escalate  here for laptops", "U0PROCBOT", "Escalate here for laptops")]
    [InlineData("<@U0PROCBOT|procurementbot> escalate here", "U0PROCBOT", "escalate here")]
    [InlineData("<@U0PROCBOT> tell <@U0OTHER1> hello", "U0PROCBOT", "tell <@U0OTHER1> hello")]
    [InlineData("<@U0PROCBOT> escalate here", null, "escalate here")]
    [InlineData("hi <@U0OTHER1>", null, "hi <@U0OTHER1>")]
    public void The_bot_s_mention_is_taken_out_of_what_was_said(string text, string? botUserId, string said) =>
        Assert.Equal(said, SlackEscalationMentions.Said(text, botUserId));

    private static List<string> ActionIds(Escalation e) => SlackEscalationPayloads.ActionIds(SlackEscalationBlocks.Message(e, null).Blocks);

    private static Person Buyer(string channel, string userId) => new()
    {
        Id = Person.MakeId(channel, userId),
        Channel = channel,
        UserId = userId,
        Name = "Diego Siciliani",
        FirstSeenAt = T0,
        UpdatedAt = T0,
    };

    private static Purchase Purchase() => new()
    {
        PurchaseId = "PO-1",
        RequesterEmail = "megan@contoso.com",
        Supplier = "Dell",
        Category = "laptops",
        Description = "Latitude 7450",
        DeliveredAt = T0.AddDays(-3),
    };

    private static Escalation Escalation() => new()
    {
        Id = "checkin:PO-1",
        Kind = EscalationKind.CheckIn,
        Supplier = "Dell",
        Category = "laptops",
        Purchase = Purchase(),
        CheckInId = "PO-1",
        Answers = [new EscalatedAnswer("overall", "How happy are you?", "1/5 ★")],
        Rules = [new FiredRule("low-rating", Severity.High, "Rated 2 or less")],
        Severity = Severity.High,
        Status = EscalationStatus.Open,
        CreatedAt = T0,
    };
}
