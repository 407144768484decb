using ProcurementBot.CheckIns;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;
using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Slack;

/// <summary>Block Kit check-ins stay inside Slack's limits however long the question set, and Markdown becomes mrkdwn.</summary>
public sealed class SlackCheckInBlocksTests
{
    private static readonly Purchase Purchase = new()
    {
        PurchaseId = "PO-BLOCKS",
        RequesterEmail = "a@contoso.com",
        Supplier = "Dell",
        Category = "general",
        Description = "Latitude 7450 laptop",
        DeliveredAt = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero),
    };

    private static CheckInCard Card(params Question[] questions) =>
        new("PO-BLOCKS", "Hi Megan, how did it go?", Purchase, [.. questions.Select((q, i) => new CardQuestion(q, q.Text, i + 1))]);

    private static Question Q(string id, QuestionType type, string? text = null, bool required = true, IReadOnlyList<string>? choices = null) =>
        new() { Id = id, Type = type, Text = text ?? $"Question {id}?", Required = required, Choices = choices ?? [] };

    [Fact]
    public void Each_type_gets_its_control_and_every_block_names_its_check_in_and_question()
    {
        var content = SlackCheckInBlocks.Questions(Card(
            Q("overall", QuestionType.Rating), Q("onTime", QuestionType.YesNo), Q("nps", QuestionType.Nps, required: false),
            Q("pick", QuestionType.Choice, choices: ["Red", "Blue"]), Q("comment", QuestionType.Text)));

        var actions = content.Blocks.Where(b => b!["type"]!.GetValue<string>() == "actions").ToDictionary(b => b!["block_id"]!.GetValue<string>());
        Assert.Equal(["checkin|PO-BLOCKS|overall", "checkin|PO-BLOCKS|onTime", "checkin|PO-BLOCKS|nps", "checkin|PO-BLOCKS|pick"], actions.Keys);
        Assert.Equal(["1", "2", "3", "4", "5"], Values(actions["checkin|PO-BLOCKS|overall"]));
        Assert.Equal(["yes", "no"], Values(actions["checkin|PO-BLOCKS|onTime"]));
        var nps = actions["checkin|PO-BLOCKS|nps"]!["elements"]!.AsArray();
        Assert.Equal(11, nps[0]!["options"]!.AsArray().Count);
        Assert.Equal("Skip", nps[1]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal(["1", "2"], actions["checkin|PO-BLOCKS|pick"]!["elements"]![0]!["options"]!.AsArray().Select(o => o!["value"]!.GetValue<string>()));
        Assert.Contains("Type your answer as a message in this chat.", content.Blocks.ToJsonString(), StringComparison.Ordinal);
        Assert.True(SlackCheckInBlocks.TryReadBlockId("checkin|PO|with|pipes|overall", out var checkInId, out var questionId));
        Assert.Equal(("PO|with|pipes", "overall"), (checkInId, questionId));
        Assert.False(string.IsNullOrWhiteSpace(content.Text));
    }

    [Fact]
    public void A_long_set_with_long_texts_keeps_to_Slacks_limits()
    {
        var longText = new string('x', 5000);
        var longChoice = new string('c', 300);
        var questions = Enumerable.Range(1, 40).Select(i => i % 2 == 0
            ? Q($"q{i}", QuestionType.Choice, longText, choices: [.. Enumerable.Range(0, 120).Select(n => $"{longChoice}{n}")])
            : Q($"q{i}", QuestionType.Rating, longText)).ToArray();

        var content = SlackCheckInBlocks.Questions(Card(questions));

        Assert.InRange(content.Blocks.Count, 1, SlackCheckInBlocks.MaxBlocks);
        Assert.Contains("More questions follow once these are answered.", content.Blocks.ToJsonString(), StringComparison.Ordinal);
        Assert.InRange(content.Text.Length, 1, 3000);
        foreach (var node in Descendants(content.Blocks))
        {
            if (node["type"]?.GetValue<string>() is "mrkdwn" or "plain_text")
            {
                Assert.InRange(node["text"]!.GetValue<string>().Length, 1, 3000);
            }

            if (node["type"]?.GetValue<string>() is "button")
            {
                Assert.InRange(node["text"]!["text"]!.GetValue<string>().Length, 1, SlackCheckInBlocks.MaxButtonText);
            }

            if (node["options"] is JsonArray options)
            {
                Assert.InRange(options.Count, 1, 100);
                Assert.All(options, o => Assert.InRange(o!["text"]!["text"]!.GetValue<string>().Length, 1, 75));
                Assert.All(options, o => Assert.InRange(o!["value"]!.GetValue<string>().Length, 1, 150));
            }

            foreach (var id in new[] { "action_id", "block_id" })
            {
                if (node[id] is { } value)
                {
                    Assert.InRange(value.GetValue<string>().Length, 1, SlackCheckInBlocks.MaxId);
                }
            }
        }
    }

    [Fact]
    public void The_summary_is_read_only()
    {
        var summary = SlackCheckInBlocks.Summary(new CheckInSummary("PO-BLOCKS", Purchase, "Answered", [("How happy?", "4/5 ★★★★"), ("On time?", "Yes")]));

        Assert.DoesNotContain(summary.Blocks, b => b!["type"]!.GetValue<string>() == "actions");
        Assert.Contains("Answered", summary.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Say **opt in** to resume", "Say *opt in* to resume")]
    [InlineData("an *important* note", "an _important_ note")]
    [InlineData("Tom & Jerry <script> > 3", "Tom &amp; Jerry &lt;script&gt; &gt; 3")]
    [InlineData("see [the docs](https://example.com/a?b=1)", "see <https://example.com/a?b=1|the docs>")]
    [InlineData("• **skip** skips; **stop** ends", "• *skip* skips; *stop* ends")]
    public void Markdown_becomes_mrkdwn(string markdown, string mrkdwn) =>
        Assert.Equal(mrkdwn, SlackMrkdwn.FromMarkdown(markdown));

    private static IEnumerable<string> Values(JsonNode? block) =>
        block!["elements"]!.AsArray().Select(e => e!["value"]!.GetValue<string>());

    private static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var child in obj.SelectMany(p => Descendants(p.Value)))
                {
                    yield return child;
                }

                break;
            case JsonArray array:
                foreach (var child in array.SelectMany(Descendants))
                {
                    yield return child;
                }

                break;
        }
    }
}
