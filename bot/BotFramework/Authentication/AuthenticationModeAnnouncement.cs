using Microsoft.Extensions.Options;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Says at startup whether /api/messages checks tokens, loudly when it does not.</summary>
internal sealed class AuthenticationModeAnnouncement(IOptions<BotIdentityOptions> options, ILogger<AuthenticationModeAnnouncement> logger) : IHostedService
{
    public const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var identity = options.Value;
        if (!identity.IsEnabled)
        {
            logger.LogWarning(
                "Bot Framework authentication is OFF: MicrosoftAppId is empty, so /api/messages accepts unauthenticated requests "
                + "and the bot sends no app token. This is local mode (the Bot Framework Emulator): it hears only direct requests "
                + "from this machine and calls only service URLs on it.");
        }
        else
        {
            logger.LogInformation(
                "Bot Framework authentication is on for app {MicrosoftAppId} ({AppType}); Emulator tokens {EmulatorTokens}",
                identity.MicrosoftAppId, identity.AppType, identity.AllowEmulatorTokens ? "accepted" : "refused");
            if (!AppContext.TryGetSwitch(BlockingRefreshSwitch, out var blocking) || !blocking)
            {
                logger.LogWarning("{Switch} is not set in runtimeconfig: a token signed with a freshly rotated key is refused until a background key refresh completes", BlockingRefreshSwitch);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
