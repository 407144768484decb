using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ProcurementBot.BotFramework.Authentication;

public static class BotAuthenticationExtensions
{
    /// <summary>The HttpClient for OpenID metadata, signing keys and app tokens (tests point it at loopback stand-ins).</summary>
    public const string HttpClientName = "BotFrameworkIdentity";

    /// <summary>Inbound token checks and outbound app tokens; with <c>MicrosoftAppId</c> empty, local unauthenticated mode.</summary>
    public static IServiceCollection AddBotFrameworkAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<BotIdentityOptions>()
            .Configure(options => Bind(options, configuration, environment))
            .ValidateOnStart();
        // The environment decides whether local mode may start at all (Development only, unless allowed explicitly).
        services.AddSingleton<IValidateOptions<BotIdentityOptions>>(new BotIdentityOptionsValidator(environment));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<SigningKeyMetadata>();
        services.AddSingleton<IBotRequestAuthenticator, BotRequestAuthenticator>();
        services.AddSingleton<IConnectorTokenProvider, MsalConnectorTokenProvider>();
        services.AddHostedService<AuthenticationModeAnnouncement>();
        return services;
    }

    private static void Bind(BotIdentityOptions options, IConfiguration configuration, IHostEnvironment environment)
    {
        // The Emulator is a developer's tool: on by default only where developers run the bot.
        options.AllowEmulatorTokens = environment.IsDevelopment();
        configuration.GetSection(BotIdentityOptions.Section).Bind(options);
        options.MicrosoftAppType = configuration[nameof(BotIdentityOptions.MicrosoftAppType)]?.Trim() ?? "";
        options.MicrosoftAppId = configuration[nameof(BotIdentityOptions.MicrosoftAppId)]?.Trim() ?? "";
        options.MicrosoftAppPassword = configuration[nameof(BotIdentityOptions.MicrosoftAppPassword)] ?? "";
        options.MicrosoftAppTenantId = configuration[nameof(BotIdentityOptions.MicrosoftAppTenantId)]?.Trim() ?? "";
    }
}
