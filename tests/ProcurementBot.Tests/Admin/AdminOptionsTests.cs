using Microsoft.Extensions.Options;
using ProcurementBot.Admin;

namespace ProcurementBot.Tests.Admin;

/// <summary>Admin settings are checked when the bot starts: a half-configured Entra ID setup fails fast with a clear message.</summary>
public sealed class AdminOptionsTests
{
    public static TheoryData<string, string, string, string, string> BadSettings => new()
    {
        // authority · audience · role · group · what the error names
        { "http://login.example.com/t/v2.0", "api://admin", "Admin", "", "Admin:Entra:Authority" },
        { "https://login.microsoftonline.com/t/v2.0", "", "Admin", "", "Admin:Entra:Audience" },
        { "https://login.microsoftonline.com/t/v2.0", "api://admin", "", "", "RequiredRole or Admin:Entra:RequiredGroup" },
        { "", "api://admin", "Admin", "", "Admin:Entra:Authority" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Half_configured_Entra_settings_fail_on_start(string authority, string audience, string role, string group, string named)
    {
        using var services = Services(new()
        {
            ["Admin:Entra:Authority"] = authority,
            ["Admin:Entra:Audience"] = audience,
            ["Admin:Entra:RequiredRole"] = role,
            ["Admin:Entra:RequiredGroup"] = group,
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AdminOptions>>().Value);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_admin_key_fails_on_start()
    {
        using var services = Services(new() { ["Admin:ApiKeys:0"] = " " });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AdminOptions>>().Value);
    }

    [Fact]
    public void Keys_alone_or_a_complete_Entra_setup_are_valid()
    {
        using var services = Services(new()
        {
            ["Admin:ApiKeys:0"] = "a-long-random-admin-key",
            ["Admin:Entra:Authority"] = "https://login.microsoftonline.com/5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b/v2.0",
            ["Admin:Entra:Audience"] = "api://procurementbot-admin",
            ["Admin:Entra:RequiredGroup"] = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
        });

        Assert.True(services.GetRequiredService<IOptions<AdminOptions>>().Value.Entra.Enabled);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddAdmin(configuration);
        return services.BuildServiceProvider();
    }
}
