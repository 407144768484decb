namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Who issued a token: a Bot Framework channel, or the Emulator through Entra ID.</summary>
internal enum TokenSource
{
    Channel,
    Emulator,
}
