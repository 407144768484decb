using System.Globalization;
using ProcurementBot.CheckIns;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.BotFramework.Cards;

/// <summary>Renders check-ins as Adaptive Cards: the questions with Action.Submit, and the read-only summary.</summary>
public static class CheckInCards
{
    /// <summary>Inputs are named "q_{question id}"; the submit data carries the action and check-in id.</summary>
    public const string InputPrefix = "q_";

    private const int MaxShortText = 120;

    private static readonly Choice[] RatingChoices =
    [
        new("1 - Very poor", "1"), new("2 - Poor", "2"), new("3 - OK", "3"), new("4 - Good", "4"), new("5 - Excellent", "5"),
    ];

    public static AdaptiveCard Questions(CheckInCard card)
    {
        var body = new List<CardElement>
        {
            new TextBlock(card.Greeting) { Size = "Medium", Weight = "Bolder" },
            PurchaseFacts(card.Purchase),
        };
        body.AddRange(card.Questions.Select(Input));
        body.Add(new TextBlock("You can also type your answers here, one at a time.") { IsSubtle = true, Size = "Small", Spacing = "Medium" });

        return new AdaptiveCard
        {
            Speak = card.Greeting,
            Body = body,
            Actions =
            [
                new SubmitAction
                {
                    Title = "Send answers",
                    Style = "positive",
                    Data = new Dictionary<string, string> { ["action"] = CardSubmission.AnswerAction, ["checkInId"] = card.CheckInId },
                },
            ],
        };
    }

    public static AdaptiveCard Summary(CheckInSummary summary)
    {
        var body = new List<CardElement>
        {
            new TextBlock($"✅ {summary.Status}: your check-in for {Shorten(summary.Purchase.Description)}") { Weight = "Bolder", Size = "Medium" },
            PurchaseFacts(summary.Purchase),
        };
        if (summary.Answers.Count > 0)
        {
            body.Add(new FactSet([.. summary.Answers.Select(a => new Fact(Shorten(a.Question), Shorten(a.Answer, 1000)))]) { Separator = true, Spacing = "Medium" });
        }

        return new AdaptiveCard { Speak = $"{summary.Status}. Thank you.", Body = body };
    }

    private static FactSet PurchaseFacts(Purchase purchase)
    {
        var facts = new List<Fact>
        {
            new("Order", Shorten(purchase.PurchaseId)),
            new("Item", Shorten(purchase.Description)),
            new("Supplier", Shorten(purchase.Supplier)),
            new("Delivered", purchase.DeliveredAt.ToString("d MMM yyyy", CultureInfo.InvariantCulture)),
        };
        return new FactSet(facts);
    }

    private static CardElement Input(CardQuestion q)
    {
        var id = InputPrefix + q.Question.Id;
        var label = $"{q.Number}. {q.Text}";
        var required = q.Question.Required ? true : (bool?)null;
        var error = q.Question.Required ? "Please answer this question." : null;
        return q.Question.Type switch
        {
            QuestionType.Rating => new ChoiceSetInput
            {
                Id = id,
                Label = label,
                Style = "expanded",
                Choices = RatingChoices,
                IsRequired = required,
                ErrorMessage = error,
            },
            QuestionType.YesNo => new ChoiceSetInput
            {
                Id = id,
                Label = label,
                Style = "expanded",
                Choices = [new("Yes", "yes"), new("No", "no")],
                IsRequired = required,
                ErrorMessage = error,
            },
            QuestionType.Nps => new ChoiceSetInput
            {
                Id = id,
                Label = label,
                Style = "compact",
                Placeholder = "0 = not at all likely, 10 = extremely likely",
                Choices = [.. Enumerable.Range(0, 11).Select(n => new Choice(n.ToString(CultureInfo.InvariantCulture), n.ToString(CultureInfo.InvariantCulture)))],
                IsRequired = required,
                ErrorMessage = error,
            },
            QuestionType.Choice => new ChoiceSetInput
            {
                Id = id,
                Label = label,
                Style = "compact",
                Placeholder = "Choose one",
                Choices = [.. q.Question.Choices.Select(c => new Choice(Shorten(c), c))],
                IsRequired = required,
                ErrorMessage = error,
            },
            _ => new TextInput
            {
                Id = id,
                Label = label,
                IsMultiline = true,
                MaxLength = 2000,
                IsRequired = required,
                ErrorMessage = error,
                Placeholder = q.Question.Required ? "Your answer" : "Optional",
            },
        };
    }

    /// <summary>Keeps card text within bounds so a card stays well under Teams' size limits.</summary>
    internal static string Shorten(string text, int max = MaxShortText)
    {
        if (text.Length <= max)
        {
            return text;
        }

        // Never keep half of a surrogate pair (an emoji): it would reach Teams as U+FFFD.
        var cut = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }
}
