namespace ProcurementBot.CheckIns;

/// <summary>
/// What the bot says, independent of any channel. Channel adapters render these as Adaptive Cards,
/// Block Kit or plain text.
/// </summary>
public abstract record Reply;
