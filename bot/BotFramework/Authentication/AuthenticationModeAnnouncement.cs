using Microsoft.Extensions.Options;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Says at startup whether /api/messages checks tokens, loudly when it does not.</summary>
internal sealed class AuthenticationModeAnnouncement(IOptions<BotIdentityOptions> options, ILogger<AuthenticationModeAnnouncement> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var identity = options.Value;
        if (!identity.IsEnabled)
        {
            logger.LogWarning(
                "Bot Framework authentication is OFF: MicrosoftAppId is empty, so /api/messages accepts unauthenticated requests "
                + "and the bot sends no app token. This is local mode only (the Bot Framework Emulator); never expose it.");
        }
        else
        {
            logger.LogInformation(
                "Bot Framework authentication is on for app {MicrosoftAppId} ({AppType}); Emulator tokens {EmulatorTokens}",
                identity.MicrosoftAppId, identity.AppType, identity.AllowEmulatorTokens ? "accepted" : "refused");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
