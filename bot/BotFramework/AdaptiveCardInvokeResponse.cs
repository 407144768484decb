using ProcurementBot.BotFramework.Cards;

namespace ProcurementBot.BotFramework;

/// <summary>
/// The answer to an <c>adaptiveCard/action</c> invoke (Universal Actions), sent in the HTTP response: the
/// clicker's card replaced, a message shown to them, or an error.
/// </summary>
public sealed record AdaptiveCardInvokeResponse(int StatusCode, string Type, object Value)
{
    public static InvokeResult Card(AdaptiveCard card) => new(200, new AdaptiveCardInvokeResponse(200, AdaptiveCard.ContentType, card));

    public static InvokeResult Message(string text) => new(200, new AdaptiveCardInvokeResponse(200, "application/vnd.microsoft.activity.message", text));

    /// <summary>Teams shows <paramref name="message"/>; <paramref name="status"/> is 400 for a bad action, 500-ish for a failure.</summary>
    public static InvokeResult Error(int status, string code, string message) =>
        new(200, new AdaptiveCardInvokeResponse(status, "application/vnd.microsoft.error", new { code, message }));
}
