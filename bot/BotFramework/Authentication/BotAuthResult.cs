using System.Security.Claims;

namespace ProcurementBot.BotFramework.Authentication;

public sealed record BotAuthResult(bool Succeeded, string? Failure, ClaimsIdentity? Identity)
{
    public static BotAuthResult Anonymous { get; } = new(true, null, null);
    public static BotAuthResult Fail(string reason) => new(false, reason, null);
}
