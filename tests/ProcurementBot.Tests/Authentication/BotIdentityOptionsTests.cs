using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using ProcurementBot.BotFramework.Authentication;

namespace ProcurementBot.Tests.Authentication;

/// <summary>Settings a bot cannot work with stop the start, saying which key to fix.</summary>
public sealed class BotIdentityOptionsTests
{
    private const string AppId = "0b5c7d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e";
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    public static TheoryData<string, string> BadSettings => new()
    {
        // settings (key=value;...) → the message names
        { $"MicrosoftAppId={AppId}", "MicrosoftAppPassword is required" },
        { $"MicrosoftAppType=SingleTenant;MicrosoftAppId={AppId};MicrosoftAppPassword=s", "MicrosoftAppTenantId is required for SingleTenant" },
        { $"MicrosoftAppType=UserAssignedMSI;MicrosoftAppId={AppId};MicrosoftAppPassword=s;MicrosoftAppTenantId=t", "must be empty for UserAssignedMSI" },
        { $"MicrosoftAppType=SomethingElse;MicrosoftAppId={AppId};MicrosoftAppPassword=s", "MicrosoftAppType 'SomethingElse' is not known" },
        { "MicrosoftAppId=my-bot;MicrosoftAppPassword=s", "is not a GUID" },
        { "MicrosoftAppPassword=s", "MicrosoftAppId is empty" },
        { $"MicrosoftAppId={AppId};MicrosoftAppPassword=s", "BotFramework:AllowedTenants is empty for a MultiTenant app" },
        { $"MicrosoftAppType=MultiTenant;MicrosoftAppId={AppId};MicrosoftAppPassword=s;BotFramework:AllowedTenants:0=contoso.com", "BotFramework:AllowedTenants holds 'contoso.com'" },
        { $"MicrosoftAppId={AppId};MicrosoftAppPassword=s;BotFramework:AllowedTenants:0={Tenant};BotFramework:OpenIdMetadataUrl=http://login.botframework.com/v1/.well-known/openidconfiguration", "BotFramework:OpenIdMetadataUrl must be an absolute https URL" },
        { $"MicrosoftAppId={AppId};MicrosoftAppPassword=s;BotFramework:AllowedTenants:0={Tenant};BotFramework:LoginAuthority=login", "BotFramework:LoginAuthority must be an absolute https URL" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_settings_fail_with_a_message_naming_the_key(string settings, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(settings));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_assigned_managed_identity_needs_no_password() =>
        Assert.Equal(BotAppType.UserAssignedMsi, Options($"MicrosoftAppType=UserAssignedMSI;MicrosoftAppId={AppId};MicrosoftAppTenantId=t").AppType);

    [Fact]
    public void Defaults_point_at_the_public_Bot_Framework_cloud_and_authentication_is_off()
    {
        var options = Options("", "Development");

        Assert.False(options.IsEnabled);
        Assert.Equal("https://login.botframework.com/v1/.well-known/openidconfiguration", options.OpenIdMetadataUrl);
        Assert.Equal("https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration", options.EmulatorOpenIdMetadataUrl);
        Assert.Equal("https://login.microsoftonline.com/", options.LoginAuthority);
        Assert.Equal("https://api.botframework.com/.default", options.ConnectorScope);
        Assert.True(options.AllowEmulatorTokens);
        Assert.False(Options($"MicrosoftAppId={AppId};MicrosoftAppPassword=s;MicrosoftAppTenantId={Tenant}").AllowEmulatorTokens);
    }

    [Theory]
    [InlineData("Development", "", true)]
    [InlineData("Production", "", false)]
    [InlineData("Development", "BotFramework:AllowEmulatorTokens=false", false)]
    [InlineData("Production", "BotFramework:AllowEmulatorTokens=true", true)]
    public void Emulator_tokens_default_to_allowed_in_Development_only(string environment, string settings, bool allowed) =>
        Assert.Equal(allowed, Options($"MicrosoftAppId={AppId};MicrosoftAppPassword=s;MicrosoftAppTenantId={Tenant};{settings}", environment).AllowEmulatorTokens);

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public void An_empty_app_id_outside_Development_stops_the_start_naming_the_key(string environment)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options("", environment));

        Assert.Contains($"MicrosoftAppId is empty in the {environment} environment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_mode_starts_in_Development_or_where_allowed_explicitly()
    {
        Assert.False(Options("", "Development").IsEnabled);
        Assert.False(Options("BotFramework:AllowLocalModeOutsideDevelopment=true", "Production").IsEnabled);
    }

    [Fact]
    public void A_single_tenant_bot_gets_its_tokens_from_its_own_tenant()
    {
        var options = Options($"MicrosoftAppType=singletenant;MicrosoftAppId={AppId};MicrosoftAppPassword=s;MicrosoftAppTenantId=contoso-tenant");

        Assert.Equal(BotAppType.SingleTenant, options.AppType);
        Assert.Equal("contoso-tenant", options.TokenTenant);
        Assert.Equal("botframework.com", Options($"MicrosoftAppId={AppId};MicrosoftAppPassword=s;BotFramework:AllowedTenants:0={Tenant}").TokenTenant);
    }

    [Fact]
    public void A_bot_serves_its_own_tenant_and_the_listed_ones()
    {
        const string other = "0f9e8d7c-6b5a-4938-a716-151413121110";
        var single = Options($"MicrosoftAppType=SingleTenant;MicrosoftAppId={AppId};MicrosoftAppPassword=s;MicrosoftAppTenantId={Tenant}");
        var multi = Options($"MicrosoftAppId={AppId};MicrosoftAppPassword=s;BotFramework:AllowedTenants:0={Tenant};BotFramework:AllowedTenants:1={other.ToUpperInvariant()}");

        Assert.Equal([Tenant], single.ServedTenants);
        Assert.True(multi.ServedTenants.SetEquals([Tenant, other]));
    }

    private static BotIdentityOptions Options(string settings, string environment = "Production")
    {
        var pairs = settings.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => new KeyValuePair<string, string?>(pair[0], pair[1]));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBotFrameworkAuthentication(new ConfigurationBuilder().AddInMemoryCollection(pairs).Build(), new HostingEnvironment { EnvironmentName = environment });
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<BotIdentityOptions>>().Value;
    }
}
