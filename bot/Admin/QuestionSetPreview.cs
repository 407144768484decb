using ProcurementBot.BotFramework.Cards;
using ProcurementBot.CheckIns;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;
using ProcurementBot.Slack;

namespace ProcurementBot.Admin;

/// <summary>A question set as employees see it: the first check-in card for a sample purchase.</summary>
public static class QuestionSetPreview
{
    public static CheckInCard FirstCard(QuestionSet set, DateTimeOffset now)
    {
        var checkIn = SampleCheckIn(set, now);
        return CheckInConversation.CardFor(checkIn, set, BotText.Greeting("Megan Bowen", checkIn.Purchase));
    }

    public static AdaptiveCard Render(QuestionSet set, DateTimeOffset now) => CheckInCards.Questions(FirstCard(set, now));

    /// <summary>The same first check-in as a Slack message: its fallback text and Block Kit blocks.</summary>
    public static SlackContent RenderBlockKit(QuestionSet set, DateTimeOffset now) => SlackCheckInBlocks.Questions(FirstCard(set, now));

    /// <summary>An error when a card with every question of the set (follow-ups included) is too large for Teams.</summary>
    public static ValidationError? CheckSize(QuestionSet set, DateTimeOffset now)
    {
        var checkIn = SampleCheckIn(set, now);
        var all = set.Questions.Select((q, i) => new CardQuestion(q, QuestionSetProgress.TextOf(q, checkIn.Purchase), i + 1)).ToList();
        var card = CheckInCards.Questions(new CheckInCard(checkIn.Id, BotText.Greeting("Megan Bowen", checkIn.Purchase), checkIn.Purchase, all));
        var bytes = card.SizeInBytes();
        return bytes < AdaptiveCard.TeamsMaxBytes
            ? null
            : new("/questions", $"The card with these questions is {bytes / 1024} KB; Teams shows cards of at most {AdaptiveCard.TeamsMaxBytes / 1024} KB. Shorten the texts or choices, or ask fewer questions.");
    }

    private static CheckIn SampleCheckIn(QuestionSet set, DateTimeOffset now) => new()
    {
        Id = "preview",
        Purchase = new Purchase
        {
            PurchaseId = "PO-12345",
            RequesterEmail = "megan.bowen@contoso.com",
            Supplier = "Contoso Supplies",
            Category = set.Categories.Count > 0 ? set.Categories[0] : "general",
            Description = "Latitude 7450 laptop",
            DeliveredAt = now.AddDays(-3),
        },
        RequesterKey = "megan.bowen@contoso.com",
        QuestionSetId = set.Id,
        QuestionSetVersion = set.Version,
        Status = CheckInStatus.InProgress,
        DueAt = now,
        CreatedAt = now,
    };
}
