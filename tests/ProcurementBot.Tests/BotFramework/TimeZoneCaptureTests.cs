namespace ProcurementBot.Tests.BotFramework;

/// <summary>The requester's time zone, as their Teams client reports it, is remembered for their check-ins.</summary>
public sealed class TimeZoneCaptureTests(BotApp app) : IClassFixture<BotApp>
{
    [Fact]
    public async Task The_zone_a_Teams_client_reports_is_stored_when_the_bot_is_installed_and_updated_when_it_changes()
    {
        var user = await app.InstallAsync();

        Assert.Equal("America/Los_Angeles", await StoredZoneAsync(user));

        await SayAsync(user, "help", "Europe/Berlin");

        Assert.Equal("Europe/Berlin", await StoredZoneAsync(user));
    }

    public static TheoryData<string?> ZonesToIgnore => ["Mars/Olympus_Mons", "", "   ", "../../etc/localtime", null];

    [Theory]
    [MemberData(nameof(ZonesToIgnore))]
    public async Task An_unknown_or_missing_zone_keeps_the_one_known(string? reported)
    {
        var user = await app.InstallAsync();
        await SayAsync(user, "help", "Asia/Kolkata");

        await SayAsync(user, "help", reported);

        Assert.Equal("Asia/Kolkata", await StoredZoneAsync(user));
    }

    [Fact]
    public async Task An_unknown_zone_on_first_contact_is_not_stored()
    {
        var user = new TeamsUser("Adele Vance", $"adele.{Guid.NewGuid():N}@contoso.com");
        app.Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);

        await SendAsync(TeamsActivities.InZone(TeamsActivities.Installed(user, app.Connector.ServiceUrl), "Nowhere/Special"));

        var person = await app.Store.GetPersonAsync($"msteams:{user.UserId}", default);
        Assert.NotNull(person);
        Assert.Null(person.TimeZone);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Either_place_Teams_reports_the_zone_is_enough(bool onActivity, bool inClientInfo)
    {
        var user = await app.InstallAsync();

        await SendAsync(TeamsActivities.InZone(TeamsActivities.Message(user, app.Connector.ServiceUrl, "help"), "Pacific/Auckland", onActivity, inClientInfo));

        Assert.Equal("Pacific/Auckland", await StoredZoneAsync(user));
    }

    private async Task SayAsync(TeamsUser user, string text, string? zone) =>
        await SendAsync(TeamsActivities.InZone(TeamsActivities.Message(user, app.Connector.ServiceUrl, text), zone));

    private async Task SendAsync(System.Text.Json.Nodes.JsonObject activity) =>
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(activity)).StatusCode);

    private async Task<string?> StoredZoneAsync(TeamsUser user) =>
        (await app.Store.GetPersonAsync($"msteams:{user.UserId}", default))?.TimeZone;
}
