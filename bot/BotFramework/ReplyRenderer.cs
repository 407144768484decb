using ProcurementBot.Admin;
using ProcurementBot.BotFramework.Cards;
using ProcurementBot.CheckIns;

namespace ProcurementBot.BotFramework;

/// <summary>Turns channel-neutral replies into Bot Framework activities.</summary>
internal static class ReplyRenderer
{
    // Channels whose clients render Adaptive Cards; others get text with suggested replies.
    private static readonly HashSet<string> CardChannels = new(StringComparer.OrdinalIgnoreCase) { "msteams", "emulator", "webchat", "directline" };

    public static bool SupportsCards(string? channelId) => channelId is not null && CardChannels.Contains(channelId);

    public static Activity Message(Reply reply, string? channelId, string? recipientId) => reply switch
    {
        TextReply text => Text(text, recipientId),
        CheckInCardReply card when SupportsCards(channelId) => CardMessage(CheckInCards.Questions(card.Card), $"Check-in: {card.Card.Purchase.Description}"),
        CheckInCardReply card => Text(AsText(card.Card), recipientId),
        QuestionSetPreviewReply preview when SupportsCards(channelId) => CardMessage(CheckInCards.Questions(preview.Card), $"Preview: {preview.SetId} v{preview.Version}"),
        QuestionSetPreviewReply preview => Text(AsText(preview.Card), recipientId),
        CheckInSummaryReply summary => CardMessage(CheckInCards.Summary(summary.Summary), summary.Summary.Status),
        _ => throw new ArgumentOutOfRangeException(nameof(reply), reply.GetType().Name, "No rendering for this reply."),
    };

    public static Activity CardMessage(AdaptiveCard card, string summary) => new()
    {
        Type = ActivityTypes.Message,
        Summary = summary,
        Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = card }],
    };

    private static Activity Text(TextReply reply, string? recipientId) => new()
    {
        Type = ActivityTypes.Message,
        Text = reply.Text,
        TextFormat = "markdown",
        SuggestedActions = reply.Suggestions.Count == 0 ? null : new SuggestedActions
        {
            To = recipientId is null ? null : [recipientId],
            Actions = [.. reply.Suggestions.Select(s => new CardAction { Type = "imBack", Title = s, Value = s })],
        },
    };

    private static TextReply AsText(CheckInCard card)
    {
        // Without cards the questions are asked one at a time: show the first.
        var first = card.Questions.Count > 0 ? card.Questions[0] : null;
        var text = first is null ? card.Greeting : $"{card.Greeting}\n\n{first.Number}. {first.Text}";
        return new TextReply(text);
    }
}
