using System.Globalization;
using ProcurementBot.Purchases;

namespace ProcurementBot.CheckIns;

/// <summary>Everything the bot says to employees, kept short and in one place.</summary>
internal static class BotText
{
    public const string Help =
        """
        I check in after your purchases are delivered and pass problems on to procurement.
        • Answer on the card, or type your answer (for example "4" or "no").
        • **skip** skips an optional question, **stop** ends the check-in.
        • **status** lists your open check-ins.
        • **opt out** stops check-ins for you; **opt in** resumes them.
        """;

    public static string Welcome(string? name) =>
        $"Hi{FirstName(name)}! I'm ProcurementBot. After something you ordered is delivered, I'll ask how it went, in a few seconds of your time. Say **help** to see what I can do.";

    /// <summary>The first message of a check-in; <paramref name="moreToCome"/> other deliveries will be asked about right after it.</summary>
    public static string Greeting(string? name, Purchase purchase, int moreToCome = 0) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Hi{FirstName(name)}, your order {purchase.PurchaseId} ({purchase.Description} from {purchase.Supplier}) was delivered on {purchase.DeliveredAt:MMM d}. How did it go?")
        + moreToCome switch
        {
            0 => "",
            1 => " (One more delivery after this one.)",
            _ => $" ({moreToCome} more deliveries after this one.)",
        };

    public static string Reminder(string? name, Purchase purchase) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Hi{FirstName(name)}, a quick reminder: how did your order {purchase.PurchaseId} ({purchase.Description} from {purchase.Supplier}) go? It takes a few seconds.");

    public static string Thanks(string? name) => $"Thanks{FirstName(name)}! Your answers are saved.";

    public const string NothingOpen = "There's no check-in waiting for you right now. Say **help** to see what I can do.";
    public const string Stopped = "OK, I've stopped this check-in. What you answered so far is saved.";
    public const string AlreadyAnswered = "You've already answered this check-in. Thanks!";
    public const string Closed = "This check-in is closed, so I can't take answers for it any more.";
    public const string UnknownCheckIn = "I can't find that check-in. It may have been withdrawn.";
    public const string NotYours = "That check-in was sent to someone else, so I can't take your answers for it.";
    public const string UnknownAction = "I don't recognise that button. It may come from an older version of this card.";
    public const string CannotSkip = "This question is needed to finish the check-in. Answer it, or say **stop** to end the check-in.";
    public const string OptedOut = "Done: I won't send you check-ins any more. Say **opt in** if you change your mind.";
    public const string OptedIn = "Welcome back: I'll check in after your next deliveries.";

    public static string OptedOutWith(int skipped) => skipped switch
    {
        0 => OptedOut,
        1 => "Done: I won't send you check-ins any more, and I've dropped the one still open. Say **opt in** if you change your mind.",
        _ => $"Done: I won't send you check-ins any more, and I've dropped the {skipped} still open. Say **opt in** if you change your mind.",
    };

    public static string OptedInWith(int resumed) => resumed switch
    {
        0 => OptedIn,
        1 => "Welcome back: I'll check in after your next deliveries, starting with one recent delivery.",
        _ => $"Welcome back: I'll check in after your next deliveries, starting with {resumed} recent ones.",
    };
    public const string TurnError = "Sorry, something went wrong on my side. Please try again in a minute.";

    public static string NotUnderstood(string expected) => $"Sorry, I didn't get that. Please answer with {expected}.";

    public static string Missing(IEnumerable<string> questions) =>
        "Please answer: " + string.Join("; ", questions) + ".";

    public static string FirstName(string? name)
    {
        var first = name?.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return string.IsNullOrEmpty(first) ? "" : " " + first;
    }
}
