using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.Slack;

/// <summary>The escalation's Slack message and its Resolve modal in Block Kit, and the ids and values on their buttons.</summary>
public static class SlackEscalationBlocks
{
    public const string Prefix = "escalation.";
    public const string AcknowledgeAction = "escalation.acknowledge";
    public const string AssignAction = "escalation.assign";
    public const string ResolveAction = "escalation.resolve";
    public const string ReopenAction = "escalation.reopen";

    /// <summary>The Resolve modal's callback id, and its note input's block and action id.</summary>
    public const string ResolveView = "escalation.resolve";
    public const string NoteBlock = "note";

    // Block Kit's limits: section and context text 3000, a section field 2000, header text 150, button text 75.
    public const int MaxText = 3000;
    public const int MaxField = 2000;
    public const int MaxHeader = 150;
    public const int MaxButton = 75;

    /// <summary>
    /// The message for the escalation's current state: the fallback text (notifications) and the blocks, mentioning
    /// <paramref name="buyer"/> when they are a Slack person. Every piece of people's text is escaped.
    /// </summary>
    public static (string Text, JsonArray Blocks) Message(Escalation e, Person? buyer)
    {
        var blocks = new JsonArray { Header(Title(e)) };
        if (buyer is { Channel: SlackEscalationAdapter.ChannelId })
        {
            blocks.Add(Section($"<@{buyer.UserId}>, this is about a purchase you handled."));
        }

        foreach (var block in e.Kind == EscalationKind.SupplierTrend ? TrendDetails(e) : CheckInDetails(e))
        {
            blocks.Add(block);
        }

        blocks.Add(Section(Lines(["*Why:*", .. e.Rules.Select(r => $"• {Escape(r.Description, 400)} ({r.Severity.ToString().ToLowerInvariant()})")], MaxText)));
        blocks.Add(new JsonObject { ["type"] = "divider" });
        foreach (var block in Status(e))
        {
            blocks.Add(block);
        }

        if (e.History.Count > 0)
        {
            var lines = e.History.TakeLast(10).Select(h => $"{Date(h.At)}: {Escape(h.Actor, 80)} {Escape(h.What, 200)}");
            var earlier = e.History.Count > 10 ? [$"({e.History.Count - 10} earlier)"] : Array.Empty<string>();
            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn(Lines([.. earlier, .. lines], MaxText))) });
        }

        blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. Buttons(e)]) });
        return (Escape(Title(e), 400), blocks);
    }

    /// <summary>
    /// The modal asking for the resolution note. <paramref name="origin"/> says which message to keep up to date;
    /// <paramref name="notice"/> explains why it is shown again; <paramref name="note"/> keeps what was typed.
    /// </summary>
    public static JsonObject ResolveModal(Escalation e, ResolveOrigin origin, string? notice = null, string? note = null)
    {
        var blocks = new JsonArray();
        if (notice is not null)
        {
            blocks.Add(Section($":warning: {Escape(notice, 500)}"));
        }

        blocks.Add(Section($"*{Escape(Title(e), 400)}*"));
        var input = new JsonObject
        {
            ["type"] = "plain_text_input",
            ["action_id"] = NoteBlock,
            ["multiline"] = true,
            ["max_length"] = EscalationService.MaxNoteLength,
            ["placeholder"] = Plain("What was done?"),
        };
        if (!string.IsNullOrEmpty(note))
        {
            input["initial_value"] = note;
        }

        blocks.Add(new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = NoteBlock,
            ["label"] = Plain("Resolution note (the requester will see it)"),
            ["element"] = input,
        });
        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = ResolveView,
            ["title"] = Plain("Resolve escalation"),
            ["submit"] = Plain("Resolve"),
            ["close"] = Plain("Cancel"),
            ["private_metadata"] = JsonSerializer.Serialize(origin, MetadataJson),
            ["blocks"] = blocks,
        };
    }

    public static EscalationVerb? VerbOf(string? actionId) => actionId switch
    {
        AcknowledgeAction => EscalationVerb.Acknowledge,
        AssignAction => EscalationVerb.AssignToMe,
        ResolveAction => EscalationVerb.Resolve,
        ReopenAction => EscalationVerb.Reopen,
        _ => null,
    };

    /// <summary>What a button carries: the escalation and the revision it was drawn at.</summary>
    public static ButtonValue? ReadButton(string? value)
    {
        try
        {
            return value is null ? null : JsonSerializer.Deserialize<ButtonValue>(value, MetadataJson) is { EscalationId.Length: > 0 } read ? read : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The Resolve modal's private_metadata; null if it is not ours.</summary>
    public static ResolveOrigin? ReadOrigin(string? metadata)
    {
        try
        {
            return metadata is null ? null : JsonSerializer.Deserialize<ResolveOrigin>(metadata, MetadataJson) is { EscalationId.Length: > 0 } read ? read : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// People's text for mrkdwn: <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped as Slack requires (so nobody can write
    /// <c>&lt;!channel&gt;</c> or <c>&lt;@U…&gt;</c> into a message), at most <paramref name="max"/> characters after escaping,
    /// cut between characters (never inside an entity or a surrogate pair) with an ellipsis.
    /// </summary>
    public static string Escape(string text, int max)
    {
        var escaped = new StringBuilder(Math.Min(text.Length + 16, max));
        for (var i = 0; i < text.Length; i++)
        {
            var piece = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                var c when char.IsHighSurrogate(c) && i + 1 < text.Length => text.Substring(i++, 2),
                var c => c.ToString(),
            };
            if (escaped.Length + piece.Length > max - 1 && !FitsWhole(text, i + 1, escaped.Length + piece.Length, max))
            {
                return escaped.ToString().TrimEnd() + "…";
            }

            escaped.Append(piece);
        }

        return escaped.ToString();
    }

    /// <summary>Plain text cut to <paramref name="max"/> characters with an ellipsis, never inside a surrogate pair.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }

    /// <summary>Whether the rest of the text, escaped, still fits after what is already taken.</summary>
    private static bool FitsWhole(string text, int from, int taken, int max)
    {
        for (var i = from; i < text.Length && taken <= max; i++)
        {
            taken += text[i] switch { '&' => 5, '<' or '>' => 4, _ => 1 };
        }

        return taken <= max;
    }

    private static readonly JsonSerializerOptions MetadataJson = new(JsonSerializerDefaults.Web);

    private static string Title(Escalation e)
    {
        var icon = e.Severity switch { Severity.High => "🔴", Severity.Medium => "🟠", _ => "🟡" };
        var what = e.Kind == EscalationKind.SupplierTrend
            ? $"supplier trend for {Cut(e.Supplier, 100)}"
            : $"{Cut(e.Purchase?.Description ?? e.Category, 100)} from {Cut(e.Supplier, 100)}";
        return $"{icon} {e.Severity} severity escalation: {what}";
    }

    private static IEnumerable<JsonObject> CheckInDetails(Escalation e)
    {
        var facts = new List<(string Label, string Value)>();
        if (e.Purchase is { } p)
        {
            facts.Add(("Order", p.PurchaseId));
            facts.Add(("Item", p.Description));
            facts.Add(("Supplier", p.Supplier));
            facts.Add(("Category", p.Category));
            if (Amount(p) is { } amount)
            {
                facts.Add(("Amount", amount));
            }
        }
        else
        {
            facts.Add(("Supplier", e.Supplier));
            facts.Add(("Category", e.Category));
        }

        if (Requester(e) is { } requester)
        {
            facts.Add(("Requested by", requester));
        }

        yield return Fields(facts);

        // The comment is quoted under its own question rather than listed with the short answers.
        var comment = string.IsNullOrWhiteSpace(e.Comment) ? null : e.Answers.LastOrDefault(a => a.Answer == e.Comment);
        var answers = e.Answers.Where(a => a != comment).ToList();
        if (answers.Count > 0)
        {
            yield return Section(Lines(["*What they said*", .. answers.Select(a => $"• {Escape(a.Question, 200)}: *{Escape(a.Answer, 500)}*")], MaxText));
        }

        if (!string.IsNullOrWhiteSpace(e.Comment))
        {
            var heading = $"*{Escape(comment?.Question ?? "Comment", 200)}*";
            yield return Section($"{heading}\n“{Escape(e.Comment.Trim(), MaxText - heading.Length - 3)}”");
        }
    }

    private static IEnumerable<JsonObject> TrendDetails(Escalation e)
    {
        yield return Fields(
        [
            ("Supplier", e.Supplier),
            ("Category", e.Category),
            ("Rule", e.Rules.Count > 0 ? e.Rules[0].Description : ""),
            ("Check-ins", e.RelatedCheckIns.Count.ToString(CultureInfo.InvariantCulture)),
        ]);
        if (e.RelatedCheckIns.Count > 0)
        {
            var orders = string.Join(", ", e.RelatedCheckIns.Take(20).Select(id => Escape(id, 60)));
            var more = e.RelatedCheckIns.Count > 20 ? $" and {e.RelatedCheckIns.Count - 20} more" : "";
            yield return new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn(Cut($"Orders: {orders}{more}", MaxText))) };
        }
    }

    private static IEnumerable<JsonObject> Status(Escalation e)
    {
        var status = e.Status switch
        {
            EscalationStatus.Resolved => $":white_check_mark: *Resolved* by {Escape(e.ResolvedBy ?? "someone", 80)}{At(e.ResolvedAt)}",
            EscalationStatus.Acknowledged => $":eyes: *Acknowledged* by {Escape(e.AcknowledgedBy ?? "someone", 80)}{At(e.AcknowledgedAt)}",
            _ => $"*Open*: nobody has acknowledged it yet (raised {Date(e.CreatedAt)})",
        };
        if (e.Status != EscalationStatus.Resolved)
        {
            status += e.Owner is { } owner ? $" · owner: *{Escape(owner.Name, 80)}*" : " · no owner yet";
        }

        yield return Section(status);
        if (e.Status == EscalationStatus.Resolved && !string.IsNullOrWhiteSpace(e.ResolutionNote))
        {
            yield return Section($"*Note:* “{Escape(e.ResolutionNote, MaxText - 20)}”");
        }

        if (e.Status != EscalationStatus.Resolved && e.OverdueSince is { } overdue)
        {
            yield return Section($":warning: *Overdue since* {Date(overdue)}");
        }
    }

    private static IEnumerable<JsonObject> Buttons(Escalation e)
    {
        var value = JsonSerializer.Serialize(new ButtonValue(e.Id, e.Revision), MetadataJson);
        JsonObject Button(string text, string actionId, string? style = null)
        {
            var button = new JsonObject { ["type"] = "button", ["action_id"] = actionId, ["text"] = Plain(Cut(text, MaxButton)), ["value"] = value };
            if (style is not null)
            {
                button["style"] = style;
            }

            return button;
        }

        return e.Status switch
        {
            EscalationStatus.Open => [Button("Acknowledge", AcknowledgeAction), Button("Assign to me", AssignAction), Button("Resolve", ResolveAction, "primary")],
            EscalationStatus.Acknowledged => [Button("Assign to me", AssignAction), Button("Resolve", ResolveAction, "primary")],
            _ => [Button("Reopen", ReopenAction)],
        };
    }

    /// <summary>Lines joined while they fit in <paramref name="max"/> characters; what does not fit is counted.</summary>
    private static string Lines(IReadOnlyList<string> lines, int max)
    {
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            // Room is kept for saying how many lines were left out, unless this is the last line.
            var more = $"\n…and {lines.Count - i} more.";
            var room = i == lines.Count - 1 ? max : max - more.Length;
            if (text.Length + 1 + lines[i].Length > room)
            {
                return text.Append(more).ToString();
            }

            text.Append(i == 0 ? "" : "\n").Append(lines[i]);
        }

        return text.ToString();
    }

    private static JsonObject Fields(IEnumerable<(string Label, string Value)> facts) => new()
    {
        ["type"] = "section",
        ["fields"] = new JsonArray([.. facts.Take(10).Select(f => (JsonNode)Mrkdwn($"*{f.Label}*\n{Escape(f.Value, MaxField - f.Label.Length - 4)}"))]),
    };

    private static JsonObject Header(string text) => new() { ["type"] = "header", ["text"] = Plain(Cut(text, MaxHeader)) };

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    /// <summary>Verbatim: Slack must not turn plain words into links or mentions; our own <c>&lt;@U…&gt;</c> still work.</summary>
    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text, ["verbatim"] = true };

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static string? Requester(Escalation e) => (e.RequesterName, e.RequesterEmail) switch
    {
        ({ } name, { } email) => $"{Cut(name, 80)} ({Cut(email, 120)})",
        ({ } name, null) => Cut(name, 80),
        (null, { } email) => Cut(email, 120),
        _ => null,
    };

    private static string? Amount(Purchase p) =>
        p.Amount is { } amount ? $"{amount.ToString("N2", CultureInfo.InvariantCulture)} {p.Currency}".Trim() : null;

    private static string At(DateTimeOffset? at) => at is { } value ? $" on {Date(value)}" : "";

    /// <summary>Shown in each reader's own time zone by Slack; the fallback is UTC.</summary>
    private static string Date(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time}}|{at.UtcDateTime:yyyy-MM-dd HH:mm} UTC>");
}
