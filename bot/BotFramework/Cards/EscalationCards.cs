using System.Globalization;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.BotFramework.Cards;

/// <summary>
/// Renders an escalation as the Adaptive Card buyers act on in the procurement channel: what happened,
/// who asked, its state and history, and only the actions valid in that state (Action.Execute).
/// </summary>
public static class EscalationCards
{
    public const string AcknowledgeVerb = "escalation.acknowledge";
    public const string AssignVerb = "escalation.assign";
    public const string ResolveVerb = "escalation.resolve";
    public const string ReopenVerb = "escalation.reopen";

    /// <summary>The resolution note's input; Teams merges it into the Resolve action's data.</summary>
    public const string NoteInput = "note";

    public const int MaxNoteLength = 1000;

    // Keep a margin under Teams' limit for the activity around the card.
    private const int MaxCardBytes = AdaptiveCard.TeamsMaxBytes - (2 * 1024);

    private static readonly Budget[] Budgets = [new(2000, 500, 40, 12, 20), new(600, 200, 20, 6, 10), new(200, 80, 10, 3, 5)];

    /// <summary>How much the card may carry: the comment, each answer, answers, history lines, related check-ins.</summary>
    private sealed record Budget(int Comment, int Answer, int Answers, int History, int Related);

    public static IReadOnlyList<string> Verbs => [AcknowledgeVerb, AssignVerb, ResolveVerb, ReopenVerb];

    /// <summary>
    /// The card for the escalation's current state, @mentioning <paramref name="buyer"/> when given.
    /// <paramref name="notice"/> is shown at the top to the one person who gets this copy (a refused action).
    /// </summary>
    public static AdaptiveCard Card(Escalation escalation, Person? buyer = null, string? notice = null)
    {
        // Long comments and histories are cut harder until the card fits.
        AdaptiveCard card = null!;
        foreach (var budget in Budgets)
        {
            card = Build(escalation, buyer, notice, budget);
            if (card.SizeInBytes() < MaxCardBytes)
            {
                break;
            }
        }

        return card;
    }

    public static EscalationVerb? VerbOf(string? verb) => verb switch
    {
        AcknowledgeVerb => EscalationVerb.Acknowledge,
        AssignVerb => EscalationVerb.AssignToMe,
        ResolveVerb => EscalationVerb.Resolve,
        ReopenVerb => EscalationVerb.Reopen,
        _ => null,
    };

    private static AdaptiveCard Build(Escalation e, Person? buyer, string? notice, Budget budget)
    {
        var body = new List<CardElement>();
        if (notice is not null)
        {
            body.Add(new TextBlock(Shorten(notice, 300)) { Color = "Attention", Weight = "Bolder" });
        }

        body.Add(new Container([new TextBlock(Title(e)) { Size = "Medium", Weight = "Bolder" }]) { Style = SeverityStyle(e.Severity) });
        var mention = Mention(buyer);
        if (mention is not null)
        {
            body.Add(new TextBlock($"{mention.Text}, this is about a purchase you handled.") { Spacing = "Small" });
        }

        body.AddRange(e.Kind == EscalationKind.SupplierTrend ? TrendDetails(e, budget) : CheckInDetails(e, budget));
        body.Add(new TextBlock("**Why:** " + string.Join("; ", e.Rules.Select(r => $"{Shorten(r.Description, 200)} ({r.Severity.ToString().ToLowerInvariant()})")))
        {
            Spacing = "Medium",
        });
        body.AddRange(Status(e));
        if (e.History.Count > 0)
        {
            var shown = e.History.TakeLast(budget.History).Select(h => $"- {When(h.At)}: {Shorten(h.Actor, 80)} {h.What}");
            var earlier = e.History.Count > budget.History ? $"- ({e.History.Count - budget.History} earlier)\r" : "";
            body.Add(new TextBlock(earlier + string.Join("\r", shown)) { IsSubtle = true, Size = "Small", Spacing = "Medium", Separator = true });
        }

        var actions = Actions(e);
        if (actions.Count > 0 && e.Status != EscalationStatus.Resolved)
        {
            body.Add(new TextInput
            {
                Id = NoteInput,
                Label = "Resolution note (the requester will see it)",
                Placeholder = "What was done?",
                IsMultiline = true,
                MaxLength = MaxNoteLength,
                IsRequired = true,
                ErrorMessage = "Please say what was done before resolving.",
                Spacing = "Medium",
            });
        }

        return new AdaptiveCard
        {
            Speak = Title(e),
            Body = body,
            Actions = actions,
            Teams = new TeamsCardSettings("Full") { Entities = mention is null ? null : [mention] },
        };
    }

    private static string Title(Escalation e)
    {
        var icon = e.Severity switch { Severity.High => "🔴", Severity.Medium => "🟠", _ => "🟡" };
        var what = e.Kind == EscalationKind.SupplierTrend
            ? $"supplier trend for {Shorten(e.Supplier, 100)}"
            : $"{Shorten(e.Purchase?.Description ?? e.Category, 100)} from {Shorten(e.Supplier, 100)}";
        return $"{icon} {e.Severity} severity escalation: {what}";
    }

    private static string SeverityStyle(Severity severity) => severity switch
    {
        Severity.High => "attention",
        Severity.Medium => "warning",
        _ => "emphasis",
    };

    private static IEnumerable<CardElement> CheckInDetails(Escalation e, Budget budget)
    {
        var facts = new List<Fact>();
        if (e.Purchase is { } p)
        {
            facts.Add(new("Order", Shorten(p.PurchaseId)));
            facts.Add(new("Item", Shorten(p.Description, 300)));
            facts.Add(new("Supplier", Shorten(p.Supplier)));
            facts.Add(new("Category", Shorten(p.Category)));
            if (Amount(p) is { } amount)
            {
                facts.Add(new("Amount", amount));
            }
        }
        else
        {
            facts.Add(new("Supplier", Shorten(e.Supplier)));
            facts.Add(new("Category", Shorten(e.Category)));
        }

        if (Requester(e) is { } requester)
        {
            facts.Add(new("Requested by", requester));
        }

        yield return new FactSet(facts);

        // The comment is quoted under its own question rather than squeezed into a fact.
        var comment = string.IsNullOrWhiteSpace(e.Comment) ? null : e.Answers.LastOrDefault(a => a.Answer == e.Comment);
        var answers = e.Answers.Where(a => a != comment).ToList();
        if (answers.Count > 0)
        {
            yield return new TextBlock("What they said") { Weight = "Bolder", Spacing = "Medium" };
            yield return new FactSet([.. answers.Take(budget.Answers).Select(a => new Fact(Shorten(a.Question, 200), Shorten(a.Answer, budget.Answer)))]);
            if (answers.Count > budget.Answers)
            {
                yield return new TextBlock($"…and {answers.Count - budget.Answers} more answers.") { IsSubtle = true, Size = "Small", Spacing = "None" };
            }
        }

        if (!string.IsNullOrWhiteSpace(e.Comment))
        {
            yield return new TextBlock(comment is null ? "Comment" : Shorten(comment.Question, 200)) { Weight = "Bolder", Spacing = "Small" };
            yield return new RichTextBlock($"“{Shorten(e.Comment.Trim(), budget.Comment)}”") { Spacing = "None" };
        }
    }

    private static IEnumerable<CardElement> TrendDetails(Escalation e, Budget budget)
    {
        var rule = e.Rules.Count > 0 ? e.Rules[0].Description : "";
        var related = e.RelatedCheckIns.Take(budget.Related).Select(id => Shorten(id, 60));
        var more = e.RelatedCheckIns.Count > budget.Related ? $" and {e.RelatedCheckIns.Count - budget.Related} more" : "";
        yield return new FactSet(
        [
            new("Supplier", Shorten(e.Supplier)),
            new("Category", Shorten(e.Category)),
            new("Rule", Shorten(rule, 200)),
            new("Check-ins", e.RelatedCheckIns.Count.ToString(CultureInfo.InvariantCulture)),
        ]);
        if (e.RelatedCheckIns.Count > 0)
        {
            yield return new TextBlock($"Orders: {string.Join(", ", related)}{more}") { IsSubtle = true, Size = "Small" };
        }
    }

    private static IEnumerable<CardElement> Status(Escalation e)
    {
        var status = e.Status switch
        {
            EscalationStatus.Resolved => $"✅ **Resolved** by {Shorten(e.ResolvedBy ?? "someone", 80)}{At(e.ResolvedAt)}",
            EscalationStatus.Acknowledged => $"👀 **Acknowledged** by {Shorten(e.AcknowledgedBy ?? "someone", 80)}{At(e.AcknowledgedAt)}",
            _ => $"**Open**: nobody has acknowledged it yet (raised {When(e.CreatedAt)})",
        };
        if (e.Status != EscalationStatus.Resolved)
        {
            status += e.Owner is { } owner ? $" · owner: **{Shorten(owner.Name, 80)}**" : " · no owner yet";
        }

        yield return new TextBlock(status) { Spacing = "Medium", Separator = true };
        if (e.Status == EscalationStatus.Resolved && !string.IsNullOrWhiteSpace(e.ResolutionNote))
        {
            yield return new RichTextBlock($"Note: “{Shorten(e.ResolutionNote, MaxNoteLength + 1)}”") { Spacing = "Small" };
        }

        if (e.Status != EscalationStatus.Resolved && e.OverdueSince is { } overdue)
        {
            yield return new TextBlock($"⚠️ **Overdue since** {When(overdue)}") { Color = "Attention", Spacing = "Small" };
        }
    }

    private static List<CardActionBase> Actions(Escalation e)
    {
        var data = new Dictionary<string, string>
        {
            ["escalationId"] = e.Id,
            ["revision"] = e.Revision.ToString(CultureInfo.InvariantCulture),
        };
        ExecuteAction Action(string title, string verb, string? style = null, bool withNote = false) => new()
        {
            Title = title,
            Verb = verb,
            Data = data,
            Style = style,
            AssociatedInputs = withNote ? null : "none",
        };

        return e.Status switch
        {
            EscalationStatus.Open => [Action("Acknowledge", AcknowledgeVerb), Action("Assign to me", AssignVerb), Action("Resolve", ResolveVerb, "positive", withNote: true)],
            EscalationStatus.Acknowledged => [Action("Assign to me", AssignVerb), Action("Resolve", ResolveVerb, "positive", withNote: true)],
            _ => [Action("Reopen", ReopenVerb)],
        };
    }

    private static CardMention? Mention(Person? buyer)
    {
        if (buyer is not { Channel: "msteams" })
        {
            return null;
        }

        // Markup in a display name would break the <at> tag.
        var name = (buyer.Name ?? buyer.Email ?? "buyer").Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal);
        return new CardMention($"<at>{name}</at>", new MentionedAccount(buyer.UserId, name));
    }

    private static string? Requester(Escalation e) => (e.RequesterName, e.RequesterEmail) switch
    {
        ({ } name, { } email) => $"{Shorten(name, 80)} ({Shorten(email, 120)})",
        ({ } name, null) => Shorten(name, 80),
        (null, { } email) => Shorten(email, 120),
        _ => null,
    };

    private static string? Amount(Purchase p) =>
        p.Amount is { } amount ? $"{amount.ToString("N2", CultureInfo.InvariantCulture)} {p.Currency}".Trim() : null;

    private static string At(DateTimeOffset? at) => at is { } value ? $" on {When(value)}" : "";

    /// <summary>Shown in each reader's own time zone and format by the card host.</summary>
    private static string When(DateTimeOffset at)
    {
        var utc = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"{{{{DATE({utc}, SHORT)}}}} {{{{TIME({utc})}}}}";
    }

    private static string Shorten(string text, int max = 120) => CheckInCards.Shorten(text, max);
}
