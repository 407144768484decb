using ProcurementBot.BotFramework;

namespace ProcurementBot.Tests.Authentication;

/// <summary>/api/messages with authentication on: only channel-signed activities get in, and the bot answers with its app token.</summary>
public sealed class BotAuthenticationEndToEndTests(AuthenticatedBotApp app) : IClassFixture<AuthenticatedBotApp>
{
    [Fact]
    public async Task An_activity_without_a_token_is_refused_and_nothing_is_stored()
    {
        var user = NewUser();

        var response = await app.SendAsync(TeamsActivities.Installed(user, app.Connector.ServiceUrl));

        await AssertRefusedAsync(response, "no Authorization header");
        Assert.Null(await app.Store.FindPersonByAddressAsync(user.Email, default));
        Assert.Empty(app.CallsTo(user));
    }

    public static TheoryData<string, string> Forgeries => new()
    {
        { "signed with an unpublished key", "unknown key" },
        { "unsigned", "not signed" },
        { "for another bot", "audience" },
        { "expired", "expired" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_token_is_refused_and_nothing_is_stored(string forgery, string reason)
    {
        var user = NewUser();
        var serviceUrl = app.Connector.ServiceUrl;
        var token = forgery switch
        {
            "signed with an unpublished key" => app.Identity.CreateChannelToken(serviceUrl, key: LocalBotFrameworkIdentity.UnpublishedKey()),
            "unsigned" => LocalBotFrameworkIdentity.CreateUnsignedChannelToken(serviceUrl),
            "for another bot" => app.Identity.CreateChannelToken(serviceUrl, audience: Guid.NewGuid().ToString()),
            "expired" => app.Identity.CreateChannelToken(serviceUrl, issuedAt: app.Clock.GetUtcNow().AddHours(-2)),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        var response = await app.SendAsync(TeamsActivities.Message(user, serviceUrl, "help"), token);

        await AssertRefusedAsync(response, reason);
        Assert.Null(await app.Store.FindPersonByAddressAsync(user.Email, default));
        Assert.Empty(app.CallsTo(user));
    }

    [Fact]
    public async Task A_valid_token_gets_in_and_the_bot_calls_the_connector_with_its_app_token()
    {
        var user = NewUser();

        var response = await app.SendAsync(TeamsActivities.Installed(user, app.Connector.ServiceUrl), app.ChannelToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await app.Store.FindPersonByAddressAsync(user.Email, default));
        var calls = app.CallsTo(user);
        Assert.Contains(calls, c => c.Method == "POST");
        Assert.NotEmpty(app.IssuedBearers);
        Assert.All(calls, call => Assert.Contains(call.Authorization, app.IssuedBearers));
        Assert.All(app.Identity.TokenRequests, request => Assert.Equal("botframework.com", request.Tenant));
    }

    [Fact]
    public async Task A_serviceUrl_from_an_unauthenticated_activity_is_not_trusted()
    {
        await using var elsewhere = await TeamsConnectorStub.StartAsync();
        var user = NewUser();
        var activity = TeamsActivities.Installed(user, elsewhere.ServiceUrl);

        // No token; a forged one naming that URL; a real one issued for the real connector.
        await AssertRefusedAsync(await app.SendAsync(activity), "no Authorization header");
        await AssertRefusedAsync(await app.SendAsync(activity, app.Identity.CreateChannelToken(elsewhere.ServiceUrl, key: LocalBotFrameworkIdentity.UnpublishedKey())), "unknown key");
        await AssertRefusedAsync(await app.SendAsync(activity, app.ChannelToken()), "serviceurl does not match");

        Assert.Empty(elsewhere.Calls);
        Assert.False(app.Services.GetRequiredService<TrustedServiceUrls>().IsTrusted(elsewhere.ServiceUrl));
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => app.Services.GetRequiredService<ConnectorClient>()
            .SendAsync(elsewhere.ServiceUrl, user.ConversationId, new Activity { Type = "message", Text = "hello" }, default));
        Assert.Equal("UntrustedServiceUrl", refused.Code);
        Assert.Empty(elsewhere.Calls);
    }

    private TeamsUser NewUser()
    {
        var user = new TeamsUser("Adele Vance", $"adele.{Guid.NewGuid():N}@contoso.com");
        app.Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);
        return user;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains(reason, problem?["detail"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
    }
}
