using Microsoft.Identity.Client;
using ProcurementBot.BotFramework.Authentication;

namespace ProcurementBot.Tests.Authentication;

/// <summary>Outbound app tokens from MSAL against a loopback stand-in for the Entra ID token endpoint.</summary>
public sealed class ConnectorTokenProviderTests : IAsyncLifetime
{
    private LocalBotFrameworkIdentity _identity = null!;

    public async Task InitializeAsync() => _identity = await LocalBotFrameworkIdentity.StartAsync();

    public async Task DisposeAsync() => await _identity.DisposeAsync();

    [Fact]
    public async Task A_multi_tenant_bot_gets_a_client_credentials_token_from_the_botframework_tenant()
    {
        var token = await GetTokenAsync(_identity.BotConfiguration());

        var request = Assert.Single(_identity.TokenRequests);
        Assert.Equal(request.IssuedToken, token);
        Assert.Equal("botframework.com", request.Tenant);
        Assert.Equal("client_credentials", request.GrantType);
        Assert.Equal(LocalBotFrameworkIdentity.AppId, request.ClientId);
        Assert.Contains("https://api.botframework.com/.default", request.Scope, StringComparison.Ordinal);
        Assert.True(request.SecretMatched);
    }

    [Fact]
    public async Task A_single_tenant_bot_gets_its_token_from_its_own_tenant()
    {
        await GetTokenAsync(_identity.BotConfiguration(tenantId: LocalBotFrameworkIdentity.AppTenantId));

        Assert.Equal(LocalBotFrameworkIdentity.AppTenantId, Assert.Single(_identity.TokenRequests).Tenant);
    }

    [Fact]
    public async Task The_token_is_cached_so_a_second_call_makes_no_request()
    {
        using var services = _identity.CreateServices(_identity.BotConfiguration(), TimeProvider.System);
        var provider = services.GetRequiredService<IConnectorTokenProvider>();

        var first = await provider.GetTokenAsync(default);
        var second = await provider.GetTokenAsync(default);

        Assert.Equal(first, second);
        Assert.Single(_identity.TokenRequests);
    }

    [Fact]
    public async Task A_wrong_secret_fails_with_Entra_IDs_error()
    {
        var error = await Assert.ThrowsAsync<MsalServiceException>(() => GetTokenAsync(_identity.BotConfiguration(password: "not-the-secret")));

        Assert.Equal("invalid_client", error.ErrorCode);
    }

    [Fact]
    public async Task Local_mode_has_no_token_and_asks_for_none()
    {
        Assert.Null(await GetTokenAsync([new("BotFramework:AllowLocalModeOutsideDevelopment", "true")]));
        Assert.Empty(_identity.TokenRequests);
    }

    private async Task<string?> GetTokenAsync(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        using var services = _identity.CreateServices(settings, TimeProvider.System);
        return await services.GetRequiredService<IConnectorTokenProvider>().GetTokenAsync(default);
    }
}
