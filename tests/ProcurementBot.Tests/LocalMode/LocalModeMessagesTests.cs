using System.Text.Json;
using ProcurementBot.BotFramework;
using ProcurementBot.People;

namespace ProcurementBot.Tests.LocalMode;

/// <summary>
/// Local mode (MicrosoftAppId empty) checks no token, so /api/messages hears only this machine's direct JSON requests,
/// and the bot calls only service URLs on this machine: never the address an unauthenticated activity names.
/// </summary>
public sealed class LocalModeMessagesTests(LocalModeBotApp app) : IClassFixture<LocalModeBotApp>
{
    [Theory]
    [InlineData("https://smba.trafficmanager.net/teams/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.5:8080/")]
    [InlineData("https://localhost.attacker.example/")]
    [InlineData("http://127.0.0.1.nip.io/")]
    [InlineData("https://directline.try-it.invalid.attacker.example/")]
    public async Task An_activity_naming_a_service_url_off_this_machine_is_refused_and_nothing_is_sent_or_stored(string serviceUrl)
    {
        var user = NewUser();
        app.Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);

        var installed = await app.SendActivityAsync(TeamsActivities.Installed(user, serviceUrl));
        var message = await app.SendActivityAsync(TeamsActivities.Message(user, serviceUrl, "help"));

        Assert.Equal(HttpStatusCode.BadRequest, installed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, message.StatusCode);
        var problem = await installed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("serviceUrl must be on this machine", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(app.Network);
        Assert.Null(await app.Store.GetPersonAsync(Person.MakeId("msteams", user.UserId), default));
    }

    [Fact]
    public async Task In_local_mode_the_connector_client_calls_nothing_off_this_machine()
    {
        var connector = app.Services.GetRequiredService<ConnectorClient>();

        var refused = await Assert.ThrowsAsync<ConnectorException>(() =>
            connector.SendAsync("https://smba.trafficmanager.net/teams/", "a:1", new Activity { Type = "message", Text = "hello" }, default));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Empty(app.Network);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task A_body_that_is_not_declared_json_is_refused_with_415_and_nothing_is_stored(string? contentType)
    {
        // What a cross-site page can post without a CORS preflight, through the developer's own browser.
        var user = NewUser();
        app.Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);
        var request = LocalModeBotApp.Request(HttpMethod.Post, "/api/messages");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(TeamsActivities.Installed(user, app.Connector.ServiceUrl).ToJsonString()));
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await app.Store.GetPersonAsync(Person.MakeId("msteams", user.UserId), default));
        Assert.DoesNotContain(app.Connector.Calls, c => c.Path.Contains(user.ConversationId, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Origins.NotDirectlyLocal), MemberType = typeof(Origins))]
    public async Task An_activity_not_sent_directly_on_this_machine_is_refused_and_nothing_is_stored(string origin, string? remote, string? host, string header)
    {
        var user = NewUser();
        app.Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);

        var response = await app.SendAsync(LocalModeBotApp.Request(HttpMethod.Post, "/api/messages",
            TeamsActivities.Installed(user, app.Connector.ServiceUrl), remote, host, Origins.Headers(header)));

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{origin}: {(int)response.StatusCode}");
        Assert.Null(await app.Store.GetPersonAsync(Person.MakeId("msteams", user.UserId), default));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    public async Task The_Emulator_and_Web_Chat_still_talk_to_the_bot(string contentType)
    {
        // The Emulator's own connector listens on http://localhost:<port>; the stand-in is on 127.0.0.1.
        var user = NewUser();
        app.Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);
        var request = LocalModeBotApp.Request(HttpMethod.Post, "/api/messages", host: "localhost:3978");
        var serviceUrl = app.Connector.ServiceUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        request.Content = new StringContent(TeamsActivities.Installed(user, serviceUrl).ToJsonString(), Encoding.UTF8);
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await app.Store.GetPersonAsync(Person.MakeId("msteams", user.UserId), default));
        Assert.Empty(app.Network);
    }

    private static TeamsUser NewUser() => new("Megan Bowen", $"megan.{Guid.NewGuid():N}@contoso.com");
}
