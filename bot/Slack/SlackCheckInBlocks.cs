using System.Globalization;
using System.Text.Json.Nodes;
using ProcurementBot.CheckIns;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.Slack;

/// <summary>
/// Renders check-ins as Block Kit: each question with buttons (rating, yes/no) or a select (NPS, choices), a free-text
/// question answered by typing in the DM, and the read-only summary. Each click answers one question; the block of a
/// question carries the check-in and question ids (<c>checkin|{check-in id}|{question id}</c>), the button or option
/// its answer. Keeps Slack's limits: 50 blocks, 3000 characters a text, 75 a button or option, 255 an id.
/// </summary>
public static class SlackCheckInBlocks
{
    public const string ActionPrefix = "checkin.";
    public const string AnswerAction = "checkin.answer";
    public const string SkipAction = "checkin.skip";
    public const int MaxBlocks = 50;
    public const int MaxButtonText = 75;
    public const int MaxId = 255;
    private const string BlockPrefix = "checkin|";
    private const int MaxOptionValue = 150;

    private static readonly (string Label, string Value)[] Ratings =
        [("1 · Very poor", "1"), ("2 · Poor", "2"), ("3 · OK", "3"), ("4 · Good", "4"), ("5 · Excellent", "5")];

    public static SlackContent Questions(CheckInCard card, string? heading = null)
    {
        var blocks = new JsonArray
        {
            Section($"*{Escape(heading ?? card.Greeting)}*"),
            Context(PurchaseLine(card.Purchase)),
        };
        if (card.Answered.Count > 0)
        {
            blocks.Add(Section(Limit(string.Join("\n", card.Answered.Select(a => $"✓ {Escape(a.Question)}: *{Escape(a.Answer)}*")))));
        }

        // Room for the footer, and a note when questions had to wait for a later message.
        var room = MaxBlocks - blocks.Count - 2;
        var shown = 0;
        foreach (var question in card.Questions)
        {
            var rendered = Question(card.CheckInId, question);
            if (rendered.Count > room)
            {
                break;
            }

            foreach (var block in rendered)
            {
                blocks.Add(block);
            }

            room -= rendered.Count;
            shown++;
        }

        if (shown < card.Questions.Count)
        {
            blocks.Add(Context("More questions follow once these are answered."));
        }

        blocks.Add(Context("Tap an answer, or type your answers here one at a time."));
        var first = card.Questions.Count > 0 ? $" {card.Questions[0].Number}. {card.Questions[0].Text}" : "";
        return new SlackContent(Limit($"{card.Greeting}{first}"), blocks);
    }

    public static SlackContent Summary(CheckInSummary summary)
    {
        var title = $"✅ {summary.Status}: your check-in for {summary.Purchase.Description}";
        var blocks = new JsonArray { Section($"*{Escape(title)}*"), Context(PurchaseLine(summary.Purchase)) };
        foreach (var (question, answer) in summary.Answers.Take(MaxBlocks - blocks.Count))
        {
            blocks.Add(Section(Limit($"*{Escape(question)}*\n{Escape(answer)}")));
        }

        return new SlackContent(Limit(title), blocks);
    }

    /// <summary>Text in mrkdwn, in as many sections as Slack's 3000 characters a section need.</summary>
    public static SlackContent Text(TextReply reply)
    {
        var mrkdwn = SlackMrkdwn.FromMarkdown(reply.Text);
        var blocks = new JsonArray();
        for (var at = 0; at < mrkdwn.Length && blocks.Count < MaxBlocks; at += SlackMrkdwn.MaxText)
        {
            blocks.Add(Section(mrkdwn.Substring(at, Math.Min(SlackMrkdwn.MaxText, mrkdwn.Length - at))));
        }

        return new SlackContent(Limit(mrkdwn), blocks);
    }

    /// <summary>The check-in and question a clicked block belongs to.</summary>
    public static bool TryReadBlockId(string? blockId, out string checkInId, out string questionId)
    {
        checkInId = questionId = "";
        if (blockId is null || !blockId.StartsWith(BlockPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var last = blockId.LastIndexOf('|');
        if (last <= BlockPrefix.Length - 1)
        {
            return false;
        }

        checkInId = blockId[BlockPrefix.Length..last];
        questionId = blockId[(last + 1)..];
        return checkInId.Length > 0 && questionId.Length > 0;
    }

    private static List<JsonObject> Question(string checkInId, CardQuestion q)
    {
        var label = $"*{q.Number}. {Escape(q.Text)}*" + (q.Question.Required ? "" : " _(optional)_");
        var blockId = $"{BlockPrefix}{checkInId}|{q.Question.Id}";
        if (blockId.Length > MaxId || q.Question.Type == QuestionType.Text)
        {
            // Typed in the DM; an optional one may be skipped with a button.
            var hint = Context("Type your answer as a message in this chat.");
            if (q.Question.Required || blockId.Length > MaxId)
            {
                return [Section(Limit(label)), hint];
            }

            return [Section(Limit(label)), Actions(blockId, [Button("Skip", "skip", SkipAction + ".0")]), hint];
        }

        var n = 0;
        string Id(string kind) => $"{kind}.{n++}";
        switch (q.Question.Type)
        {
            case QuestionType.Rating:
                return [Section(Limit(label)), Actions(blockId, [.. Ratings.Select(r => Button(r.Label, r.Value, Id(AnswerAction))), .. SkipButton(q, Id)])];
            case QuestionType.YesNo:
                return [Section(Limit(label)), Actions(blockId, [Button("Yes", "yes", Id(AnswerAction), "primary"), Button("No", "no", Id(AnswerAction)), .. SkipButton(q, Id)])];
            case QuestionType.Nps:
                var scale = Enumerable.Range(0, 11).Select(i => i.ToString(CultureInfo.InvariantCulture)).Select(v => (v, v));
                return [Section(Limit(label)), Actions(blockId, [Select("0 = not at all likely, 10 = extremely likely", scale, Id(AnswerAction)), .. SkipButton(q, Id)])];
            default:
                // Choices are sent by number (the parser takes "2" for the second), so any choice fits Slack's 150-character values.
                var choices = q.Question.Choices.Take(100).Select((c, i) => (Shorten(c), (i + 1).ToString(CultureInfo.InvariantCulture)));
                return [Section(Limit(label)), Actions(blockId, [Select("Choose one", choices, Id(AnswerAction)), .. SkipButton(q, Id)])];
        }
    }

    private static IEnumerable<JsonObject> SkipButton(CardQuestion q, Func<string, string> id) =>
        q.Question.Required ? [] : [Button("Skip", "skip", id(SkipAction))];

    private static string PurchaseLine(Purchase purchase) => Limit(string.Create(CultureInfo.InvariantCulture,
        $"Order *{Escape(purchase.PurchaseId)}* · {Escape(purchase.Description)} from {Escape(purchase.Supplier)} · delivered {purchase.DeliveredAt:d MMM yyyy}"));

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn },
    };

    private static JsonObject Context(string mrkdwn) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = Limit(mrkdwn) } },
    };

    private static JsonObject Actions(string blockId, IEnumerable<JsonObject> elements) => new()
    {
        ["type"] = "actions",
        ["block_id"] = blockId,
        ["elements"] = new JsonArray([.. elements.Take(25)]),
    };

    private static JsonObject Button(string text, string value, string actionId, string? style = null)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["text"] = PlainText(Shorten(text)),
            ["value"] = value,
            ["action_id"] = actionId,
        };
        if (style is not null)
        {
            button["style"] = style;
        }

        return button;
    }

    private static JsonObject Select(string placeholder, IEnumerable<(string Text, string Value)> options, string actionId) => new()
    {
        ["type"] = "static_select",
        ["action_id"] = actionId,
        ["placeholder"] = PlainText(SlackMrkdwn.Limit(placeholder, MaxOptionValue)),
        ["options"] = new JsonArray([.. options.Select(o => (JsonNode)new JsonObject { ["text"] = PlainText(Shorten(o.Text)), ["value"] = o.Value })]),
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static string Escape(string text) => SlackMrkdwn.Escape(text);

    private static string Limit(string text) => SlackMrkdwn.Limit(text, SlackMrkdwn.MaxText);

    private static string Shorten(string text) => SlackMrkdwn.Limit(text, MaxButtonText);
}
