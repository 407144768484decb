using ProcurementBot.BotFramework.Cards;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;

namespace ProcurementBot.Tests.Tenants;

/// <summary>
/// Teams activities from a second Entra tenant, with valid channel tokens, at every entry point of /api/messages: they
/// are refused before anything is stored, replied or trusted. And people and admins belong to the served tenant: a
/// member lookup reporting another tenant attaches no email, and an admin's email in another directory makes nobody admin.
/// </summary>
public sealed class SecondTenantTeamsTests(TenantBotApp app) : IClassFixture<TenantBotApp>
{
    private const string Foreign = TenantBotApp.ForeignTenantId;

    [Fact]
    public async Task A_user_of_the_served_tenant_gets_in_with_the_same_fixture()
    {
        var user = await app.InstallAsync("Megan Bowen");

        var person = await app.Store.GetPersonAsync(Person.MakeId("msteams", user.UserId), default);
        Assert.Equal((user.Email, TeamsUser.TenantId), (person!.Email, person.TenantId));
        Assert.Contains(app.CallsTo(user), c => c.Method == "POST");
    }

    public static TheoryData<string> PersonalEntryPoints => ["message", "conversationUpdate", "installationUpdate", "questions", "preview"];

    [Theory]
    [MemberData(nameof(PersonalEntryPoints))]
    public async Task A_personal_activity_from_another_tenant_is_refused_and_changes_nothing(string entryPoint)
    {
        // The look-alike has the admin's email in their own directory, so "questions" and "preview" would answer an admin.
        var user = app.ForeignUser("Adele Vance", app.Admin.Email);
        var serviceUrl = app.Connector.ServiceUrl;
        var activity = entryPoint switch
        {
            "message" => TeamsActivities.Message(user, serviceUrl, "status"),
            "conversationUpdate" => TeamsActivities.Installed(user, serviceUrl),
            "installationUpdate" => TeamsActivities.InstallationAdd(user, serviceUrl),
            "questions" => TeamsActivities.Message(user, serviceUrl, "questions"),
            "preview" => TeamsActivities.Message(user, serviceUrl, "preview laptops"),
            _ => throw new ArgumentOutOfRangeException(nameof(entryPoint)),
        };

        var response = await app.SendAsync(TenantBotApp.InTenant(activity, Foreign));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("tenant", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        await AssertUnknownAsync(user);
    }

    [Fact]
    public async Task A_Teams_activity_without_a_tenant_is_refused()
    {
        var user = app.ForeignUser("Lee Gu", $"lee.{Guid.NewGuid():N}@contoso.com");
        var activity = TeamsActivities.Installed(user, app.Connector.ServiceUrl);
        activity["conversation"]!.AsObject().Remove("tenantId");
        activity["channelData"]!.AsObject().Remove("tenant");

        var response = await app.SendAsync(activity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertUnknownAsync(user);
    }

    [Fact]
    public async Task An_activity_naming_the_served_tenant_in_one_place_and_another_in_the_other_is_refused()
    {
        var user = app.ForeignUser("Lee Gu", $"lee.{Guid.NewGuid():N}@contoso.com");
        var activity = TeamsActivities.Installed(user, app.Connector.ServiceUrl);
        activity["channelData"]!["tenant"]!["id"] = Foreign;

        var response = await app.SendAsync(activity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertUnknownAsync(user);
    }

    [Fact]
    public async Task An_admin_look_alike_of_another_tenant_cannot_register_an_escalation_channel()
    {
        var lookalike = app.ForeignUser(app.Admin.Name, app.Admin.Email);
        var team = TeamsChannel.New();
        var message = TenantBotApp.InTenant(TeamsActivities.ChannelMessage(lookalike, team, app.Connector.ServiceUrl, "escalate here"), Foreign);

        var response = await app.SendAsync(message);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(await app.Store.GetEscalationDestinationsAsync(default), c => c.TeamId == team.TeamId);
        Assert.DoesNotContain(app.Connector.Calls, c => c.Path.Contains(team.ChannelId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_real_admin_registers_a_channel_and_the_channel_belongs_to_the_served_tenant()
    {
        await app.InstallAsync(app.Admin);
        var team = TeamsChannel.New();
        var category = $"cat-{Guid.NewGuid():N}"[..16];

        var answer = await app.SayInChannelAsync(app.Admin, team, $"escalate here for {category}");

        Assert.StartsWith("Done:", answer, StringComparison.Ordinal);
        var registered = Assert.Single(await app.Store.GetEscalationDestinationsAsync(default), c => c.TeamId == team.TeamId);
        Assert.Equal(TeamsUser.TenantId, registered.TenantId);
    }

    public static TheoryData<string> Verbs => [.. EscalationCards.Verbs];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task A_card_action_from_another_tenant_on_an_escalation_of_the_served_tenant_changes_nothing(string verb)
    {
        var (team, requester, escalation) = await EscalationAsync();
        if (verb == EscalationCards.ReopenVerb)
        {
            // Reopen is offered on a resolved escalation: the real admin resolves it first.
            await app.ClickAsync(app.Admin, team, escalation, EscalationCards.ResolveVerb, note: "Replaced the laptop.");
            escalation = (await app.Store.GetEscalationAsync(escalation.Id, default))!;
        }

        var lookalike = app.ForeignUser(app.Admin.Name, app.Admin.Email);
        var callsBefore = app.Connector.Calls.Count;
        var data = new JsonObject
        {
            ["escalationId"] = escalation.Id,
            ["revision"] = escalation.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["note"] = "Closed by someone else.",
        };
        var click = TeamsActivities.CardAction(lookalike, team, app.Connector.ServiceUrl, escalation.Card!.ConversationId, escalation.Card.ActivityId, verb, data);

        var response = await app.SendAsync(TenantBotApp.InTenant(click, Foreign));

        // An invoke is answered with an error invoke response, which Teams shows the clicker.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal(403, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        var after = (await app.Store.GetEscalationAsync(escalation.Id, default))!;
        Assert.Equal((escalation.Revision, escalation.Status, escalation.Owner), (after.Revision, after.Status, after.Owner));
        Assert.Equal(callsBefore, app.Connector.Calls.Count);
        Assert.DoesNotContain(app.CallsTo(requester).Select(c => c.Text), t => t?.Contains("someone else", StringComparison.Ordinal) == true);
        await AssertUnknownAsync(lookalike);
    }

    [Fact]
    public async Task A_member_lookup_reporting_another_tenant_attaches_no_email_and_the_victims_check_in_waits_for_the_victim()
    {
        var victimEmail = $"victim.{Guid.NewGuid():N}@contoso.com";
        // The activity comes from the served tenant, but the member lookup says the member lives in another one.
        var impostor = app.ForeignUser("Mallory Cortez", victimEmail);

        var install = await app.SendAsync(TeamsActivities.Installed(impostor, app.Connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, install.StatusCode);
        var stored = (await app.Store.GetPersonAsync(Person.MakeId("msteams", impostor.UserId), default))!;
        Assert.Null(stored.Email);
        Assert.Null(stored.UserPrincipalName);
        Assert.Equal(TeamsUser.TenantId, stored.TenantId);

        var purchaseId = $"PO-{Guid.NewGuid():N}"[..16];
        (await app.PostPurchasesAsync(BotApp.Purchase(victimEmail, purchaseId))).EnsureSuccessStatusCode();
        await app.DispatchAsync();

        Assert.Equal(CheckInStatus.AwaitingContact, (await app.Store.GetCheckInAsync(purchaseId, default))!.Status);
        Assert.DoesNotContain(app.CallsTo(impostor), c => c.Card is not null);

        // The real victim installs: the check-in goes to them.
        var victim = await app.InstallAsync(new TeamsUser("Victor Ivanov", victimEmail));
        await app.DispatchAsync();
        Assert.Contains(app.CallsTo(victim), c => c.Card is not null);
        Assert.DoesNotContain(app.CallsTo(impostor), c => c.Card is not null);
    }

    [Fact]
    public async Task A_person_of_another_tenant_already_in_the_store_is_never_a_purchases_requester()
    {
        // A record from before tenants were checked: another tenant's user whose directory reported the victim's email.
        var victimEmail = $"victim.{Guid.NewGuid():N}@contoso.com";
        var impostor = new TeamsUser("Mallory Cortez", victimEmail);
        var now = app.Clock.GetUtcNow();
        await app.Store.UpsertPersonAsync(new Person
        {
            Id = Person.MakeId("msteams", impostor.UserId),
            Channel = "msteams",
            UserId = impostor.UserId,
            Name = impostor.Name,
            Email = victimEmail,
            AadObjectId = impostor.AadObjectId,
            TenantId = Foreign,
            ServiceUrl = app.Connector.ServiceUrl,
            ConversationId = impostor.ConversationId,
            BotId = TeamsUser.BotId,
            FirstSeenAt = now,
            UpdatedAt = now,
        }, default);

        var purchaseId = $"PO-{Guid.NewGuid():N}"[..16];
        (await app.PostPurchasesAsync(BotApp.Purchase(victimEmail, purchaseId))).EnsureSuccessStatusCode();
        await app.DispatchAsync();

        Assert.Equal(CheckInStatus.AwaitingContact, (await app.Store.GetCheckInAsync(purchaseId, default))!.Status);
        Assert.Empty(app.CallsTo(impostor));
    }

    [Fact]
    public void Admins_are_matched_within_the_served_tenant_only()
    {
        var admins = app.Services.GetRequiredService<EscalationAdmins>();
        var id = Person.MakeId("msteams", $"29:{Guid.NewGuid():N}");

        Assert.True(admins.IsAdmin(new Actor(id, "Adele Vance", app.Admin.AadObjectId, null, TenantId: TeamsUser.TenantId)));
        Assert.True(admins.IsAdmin(new Actor(id, "Adele Vance", Guid.NewGuid().ToString(), app.Admin.Email, TenantId: TeamsUser.TenantId)));
        Assert.False(admins.IsAdmin(new Actor(id, "Adele Vance", Guid.NewGuid().ToString(), app.Admin.Email, TenantId: Foreign)));
        Assert.False(admins.IsAdmin(new Actor(id, "Adele Vance", app.Admin.AadObjectId, app.Admin.Email, TenantId: Foreign)));
        Assert.False(admins.IsAdmin(new Actor(id, "Adele Vance", app.Admin.AadObjectId, app.Admin.Email, TenantId: null)));
    }

    /// <summary>An escalation of the served tenant, its card posted in a registered channel.</summary>
    private async Task<(TeamsChannel Team, TeamsUser Requester, Escalation Escalation)> EscalationAsync()
    {
        await app.InstallAsync(app.Admin);
        var team = TeamsChannel.New();
        var category = $"cat-{Guid.NewGuid():N}"[..16];
        await app.SayInChannelAsync(app.Admin, team, $"escalate here for {category}");
        var requester = await app.InstallAsync("Megan Bowen");
        var checkInId = await app.AnswerBadlyAsync(requester, category);
        await app.ProcessEscalationsAsync();
        var escalation = await app.EscalationAsync(checkInId);
        Assert.NotNull(escalation.Card);
        return (team, requester, escalation);
    }

    private async Task AssertUnknownAsync(TeamsUser user)
    {
        Assert.Null(await app.Store.GetPersonAsync(Person.MakeId("msteams", user.UserId), default));
        Assert.Empty(app.CallsTo(user));
    }
}
