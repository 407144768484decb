namespace ProcurementBot.BotFramework.Authentication;

/// <summary>
/// The bot's identity and where its tokens are checked and obtained. The four app keys keep the Bot
/// Framework's usual root names (<c>MicrosoftAppId</c>...); the endpoints live under <c>BotFramework</c>.
/// </summary>
public sealed class BotIdentityOptions
{
    public const string Section = "BotFramework";

    /// <summary><c>MultiTenant</c>, <c>SingleTenant</c> or <c>UserAssignedMSI</c>; empty means MultiTenant, as in the Bot Framework SDK.</summary>
    public string MicrosoftAppType { get; set; } = "";

    /// <summary>Empty: authentication is off (local mode, the Emulator without credentials).</summary>
    public string MicrosoftAppId { get; set; } = "";

    public string MicrosoftAppPassword { get; set; } = "";

    public string MicrosoftAppTenantId { get; set; } = "";

    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    public string EmulatorOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration";

    /// <summary>
    /// Accept tokens the Bot Framework Emulator obtained with the bot's own credentials. Defaults to true in
    /// the Development environment only: anyone holding the app's secret can mint such tokens, and a production
    /// bot should hear from channels alone.
    /// </summary>
    public bool AllowEmulatorTokens { get; set; }

    /// <summary>
    /// Entra tenant ids (GUIDs) whose Teams activities the bot serves, besides <see cref="MicrosoftAppTenantId"/>.
    /// Required for a MultiTenant app without <c>MicrosoftAppTenantId</c>: without it, every tenant could install the bot.
    /// </summary>
    public string[] AllowedTenants { get; set; } = [];

    /// <summary>
    /// Let the bot start with <c>MicrosoftAppId</c> empty outside the Development environment. Off by default: a
    /// deployed bot without an app id would take activities from anyone. For test hosts and a developer's own
    /// machine; local mode still hears only direct local requests and calls only local service URLs.
    /// </summary>
    public bool AllowLocalModeOutsideDevelopment { get; set; }

    public string LoginAuthority { get; set; } = "https://login.microsoftonline.com/";

    public string ConnectorScope { get; set; } = "https://api.botframework.com/.default";

    public bool IsEnabled => !string.IsNullOrWhiteSpace(MicrosoftAppId);

    public BotAppType AppType => MicrosoftAppType.Trim().ToUpperInvariant() switch
    {
        "" or "MULTITENANT" => BotAppType.MultiTenant,
        "SINGLETENANT" => BotAppType.SingleTenant,
        "USERASSIGNEDMSI" => BotAppType.UserAssignedMsi,
        _ => BotAppType.Unknown,
    };

    /// <summary>The Entra tenants the bot serves: <see cref="MicrosoftAppTenantId"/> and <see cref="AllowedTenants"/>.</summary>
    public IReadOnlySet<string> ServedTenants =>
        new HashSet<string>(
            AllowedTenants.Append(MicrosoftAppTenantId).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()),
            StringComparer.OrdinalIgnoreCase);

    /// <summary>The tenant outbound tokens come from: botframework.com for multi-tenant bots, the app's own otherwise.</summary>
    public string TokenTenant => AppType == BotAppType.MultiTenant ? "botframework.com" : MicrosoftAppTenantId;
}
