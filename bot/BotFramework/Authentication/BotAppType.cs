namespace ProcurementBot.BotFramework.Authentication;

public enum BotAppType
{
    Unknown,
    MultiTenant,
    SingleTenant,
    UserAssignedMsi,
}
