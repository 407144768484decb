namespace ProcurementBot.CheckIns;

/// <summary>Why a message could not be delivered.</summary>
public sealed class DeliveryException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Retrying will not help (the person blocked the bot, the conversation is gone...).</summary>
    public bool Permanent { get; } = permanent;
}
