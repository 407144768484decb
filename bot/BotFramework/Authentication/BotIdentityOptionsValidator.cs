using Microsoft.Extensions.Options;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>Fails the start with a clear message rather than the first Teams message with a 401.</summary>
internal sealed class BotIdentityOptionsValidator(IHostEnvironment environment) : IValidateOptions<BotIdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, BotIdentityOptions options)
    {
        var errors = new List<string>();
        if (!options.IsEnabled)
        {
            if (!environment.IsDevelopment() && !options.AllowLocalModeOutsideDevelopment)
            {
                errors.Add($"MicrosoftAppId is empty in the {environment.EnvironmentName} environment: the bot would accept unauthenticated activities. "
                    + "Set MicrosoftAppId and MicrosoftAppPassword (the Azure Bot's app registration; user secrets or environment variables), "
                    + "or run locally with ASPNETCORE_ENVIRONMENT=Development.");
            }

            if (!string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
            {
                errors.Add("MicrosoftAppPassword is set but MicrosoftAppId is empty: set MicrosoftAppId too, or authentication stays off.");
            }

            return Result(errors);
        }

        if (!Guid.TryParse(options.MicrosoftAppId, out _))
        {
            errors.Add($"MicrosoftAppId '{options.MicrosoftAppId}' is not a GUID: use the bot's Microsoft App ID from its Azure Bot resource.");
        }

        switch (options.AppType)
        {
            case BotAppType.Unknown:
                errors.Add($"MicrosoftAppType '{options.MicrosoftAppType}' is not known: use MultiTenant, SingleTenant or UserAssignedMSI.");
                break;
            case BotAppType.MultiTenant or BotAppType.SingleTenant when string.IsNullOrWhiteSpace(options.MicrosoftAppPassword):
                errors.Add("MicrosoftAppPassword is required when MicrosoftAppId is set (the client secret of the bot's app registration).");
                break;
            case BotAppType.UserAssignedMsi when !string.IsNullOrWhiteSpace(options.MicrosoftAppPassword):
                errors.Add("MicrosoftAppPassword must be empty for UserAssignedMSI: the managed identity has no secret.");
                break;
        }

        if (options.AppType is BotAppType.SingleTenant or BotAppType.UserAssignedMsi && string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
        {
            errors.Add($"MicrosoftAppTenantId is required for {options.MicrosoftAppType}: the tenant of the bot's app registration.");
        }

        foreach (var tenant in options.AllowedTenants.Where(t => !Guid.TryParse(t, out _)))
        {
            errors.Add($"BotFramework:AllowedTenants holds '{tenant}', which is not an Entra tenant id (a GUID).");
        }

        if (options.AppType == BotAppType.MultiTenant && options.ServedTenants.Count == 0)
        {
            // A multi-tenant registration can be installed by any organisation; nobody should get a bot that serves them all by accident.
            errors.Add("BotFramework:AllowedTenants is empty for a MultiTenant app: list the Entra tenant ids the bot serves "
                + "(BotFramework__AllowedTenants__0=<tenant id>), or set MicrosoftAppTenantId. Activities from other tenants are refused.");
        }

        RequireHttps(errors, "BotFramework:OpenIdMetadataUrl", options.OpenIdMetadataUrl);
        RequireHttps(errors, "BotFramework:EmulatorOpenIdMetadataUrl", options.EmulatorOpenIdMetadataUrl);
        RequireHttps(errors, "BotFramework:LoginAuthority", options.LoginAuthority);
        if (string.IsNullOrWhiteSpace(options.ConnectorScope))
        {
            errors.Add("BotFramework:ConnectorScope is empty: use https://api.botframework.com/.default.");
        }

        return Result(errors);
    }

    // Keys and tokens travel over these: plain http would let anyone on the path swap them.
    private static void RequireHttps(List<string> errors, string key, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"{key} must be an absolute https URL (it is '{value}').");
        }
    }

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
