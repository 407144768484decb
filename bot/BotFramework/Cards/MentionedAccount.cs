namespace ProcurementBot.BotFramework.Cards;

// The slice of the Adaptive Cards 1.5 schema the bot uses, as typed records. Teams renders up to 1.5.

/// <summary>The mentioned person: a Teams user id (29:...), an AAD object id, or a UPN.</summary>
public sealed record MentionedAccount(string Id, string Name);
