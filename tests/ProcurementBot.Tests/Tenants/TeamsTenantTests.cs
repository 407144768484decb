using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;

namespace ProcurementBot.Tests.Tenants;

/// <summary>
/// Another Entra tenant can do nothing: with real token validation on, a user of a tenant the bot does not serve
/// (here one whose directory gives them the admin's email) is refused at every entry point before anything is stored,
/// and an address reported by another tenant's directory never reaches a purchase.
/// </summary>
public sealed class TeamsTenantTests(AuthenticatedEscalationBotApp app) : IClassFixture<AuthenticatedEscalationBotApp>
{
    private const string Other = AuthenticatedEscalationBotApp.OtherTenantId;

    public static TheoryData<string> EntryPoints => new()
    {
        "message", "conversationUpdate", "installationUpdate", "questions", "preview", "escalate here", "no tenant", "tenants disagree",
    };

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public async Task An_activity_from_another_tenant_is_refused_and_changes_nothing(string entryPoint)
    {
        var lookalike = LookalikeOfAdmin();
        var team = TeamsChannel.New();
        var activity = entryPoint switch
        {
            "message" => TeamsActivities.FromTenant(TeamsActivities.Message(lookalike, app.Connector.ServiceUrl, "status"), Other),
            "conversationUpdate" => TeamsActivities.FromTenant(TeamsActivities.Installed(lookalike, app.Connector.ServiceUrl), Other),
            "installationUpdate" => TeamsActivities.FromTenant(TeamsActivities.InstallationAdd(lookalike, app.Connector.ServiceUrl), Other),
            "questions" => TeamsActivities.FromTenant(TeamsActivities.Message(lookalike, app.Connector.ServiceUrl, "questions"), Other),
            "preview" => TeamsActivities.FromTenant(TeamsActivities.Message(lookalike, app.Connector.ServiceUrl, "preview default"), Other),
            "escalate here" => TeamsActivities.FromTenant(
                TeamsActivities.ChannelMessage(lookalike, team, app.Connector.ServiceUrl, $"escalate here for {team.TeamId}"), Other),
            "no tenant" => TeamsActivities.FromTenant(TeamsActivities.Message(lookalike, app.Connector.ServiceUrl, "status"), null),
            // The tenant the bot serves in one place, another in the other: the activity is not from the served tenant.
            _ => TeamsActivities.FromTenant(TeamsActivities.Message(lookalike, app.Connector.ServiceUrl, "status"), Other, inConversation: false),
        };
        var callsBefore = app.Connector.Calls.Count;

        var response = await app.SendAsync(activity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("does not serve your organization", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await app.Store.GetPersonAsync(Person.MakeId("msteams", lookalike.UserId), default));
        Assert.DoesNotContain(await app.Store.GetEscalationDestinationsAsync(default), c => c.Category == team.TeamId);
        // Not even a member lookup or a reply: the connector heard nothing.
        Assert.Equal(callsBefore, app.Connector.Calls.Count);
    }

    [Fact]
    public async Task A_card_action_from_another_tenant_leaves_the_real_tenants_escalation_as_it_was()
    {
        var (team, escalation, requester) = await PostedEscalationAsync();
        var lookalike = LookalikeOfAdmin();
        await InstallFromOtherTenantAsync(lookalike);

        foreach (var verb in new[] { "escalation.acknowledge", "escalation.assign", "escalation.resolve", "escalation.reopen" })
        {
            var data = new JsonObject { ["escalationId"] = escalation.Id, ["revision"] = escalation.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), ["note"] = "Closed by someone else" };
            var click = TeamsActivities.FromTenant(
                TeamsActivities.CardAction(lookalike, team, app.Connector.ServiceUrl, escalation.Card!.ConversationId, escalation.Card.ActivityId, verb, data), Other);

            var response = await app.SendAsync(click);

            // An invoke gets an invoke response Teams shows the clicker: an error, 403.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(403, body["statusCode"]!.GetValue<int>());
            Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        }

        var after = await app.EscalationAsync(escalation.CheckInId!);
        Assert.Equal((EscalationStatus.Open, escalation.Revision, null), (after.Status, after.Revision, after.ResolutionNote));
        Assert.DoesNotContain(app.CallsTo(requester), c => c.Text?.Contains("Closed by someone else", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_member_lookup_reporting_another_tenant_attaches_no_email_and_the_victims_check_in_is_not_delivered()
    {
        var victim = $"victim.{Guid.NewGuid():N}@contoso.com";
        var user = new TeamsUser("Mallory", victim);
        // The activity names the served tenant; the member lookup says the user is someone else's.
        app.Connector.AddMember(user.UserId, user.Name, victim, user.AadObjectId, Other);
        (await app.SendAsync(TeamsActivities.Installed(user, app.Connector.ServiceUrl))).EnsureSuccessStatusCode();

        var person = await app.Store.GetPersonAsync(Person.MakeId("msteams", user.UserId), default);
        Assert.Null(person!.Email);
        Assert.Equal(TeamsUser.TenantId, person.TenantId);

        var purchase = $"PO-{Guid.NewGuid():N}"[..16];
        (await app.PostPurchasesAsync(BotApp.Purchase(victim, purchase))).EnsureSuccessStatusCode();
        await app.DispatchAsync();

        Assert.Equal(CheckInStatus.AwaitingContact, (await app.Store.GetCheckInAsync(purchase, default))!.Status);
        Assert.DoesNotContain(app.CallsTo(user), c => c.Card is not null);
    }

    [Fact]
    public async Task A_requester_is_found_only_among_people_of_the_served_tenant()
    {
        var email = $"erin.{Guid.NewGuid():N}@contoso.com";
        var real = await app.InstallAsync("Erin", email);
        // Someone of another tenant with the same address, seen later (stored before tenants were checked).
        var foreign = new TeamsUser("Erin (elsewhere)", email);
        var now = app.Clock.GetUtcNow().AddMinutes(5);
        await app.Store.UpsertPersonAsync(new Person
        {
            Id = Person.MakeId("msteams", foreign.UserId),
            Channel = "msteams",
            UserId = foreign.UserId,
            Name = foreign.Name,
            Email = email,
            TenantId = Other,
            ServiceUrl = app.Connector.ServiceUrl,
            ConversationId = foreign.ConversationId,
            BotId = TeamsUser.BotId,
            FirstSeenAt = now,
            UpdatedAt = now,
        }, default);

        var purchase = $"PO-{Guid.NewGuid():N}"[..16];
        (await app.PostPurchasesAsync(BotApp.Purchase(email, purchase))).EnsureSuccessStatusCode();
        await app.DispatchAsync();

        Assert.Equal(Person.MakeId("msteams", real.UserId), (await app.Store.GetCheckInAsync(purchase, default))!.PersonId);
        Assert.Contains(app.CallsTo(real), c => c.Card is not null);
        Assert.Empty(app.CallsTo(foreign));
    }

    [Fact]
    public void An_admins_email_or_object_id_counts_only_inside_the_served_tenant()
    {
        var admins = app.Services.GetRequiredService<EscalationAdmins>();
        var id = $"msteams:29:{Guid.NewGuid():N}";

        Assert.True(admins.IsAdmin(new Actor(id, "Adele", null, app.Admin.Email, TeamsUser.TenantId)));
        Assert.True(admins.IsAdmin(new Actor(id, "Adele", app.Admin.AadObjectId, null, TeamsUser.TenantId)));
        Assert.False(admins.IsAdmin(new Actor(id, "Adele", null, app.Admin.Email, Other)));
        Assert.False(admins.IsAdmin(new Actor(id, "Adele", app.Admin.AadObjectId, app.Admin.Email, Other)));
        Assert.False(admins.IsAdmin(new Actor(id, "Adele", null, app.Admin.Email, null)));
        // Web Chat users name their own ids: outside local mode they are never admins.
        Assert.False(admins.IsAdmin(new Actor("webchat:someone", "Adele", app.Admin.AadObjectId, app.Admin.Email)));
    }

    [Fact]
    public async Task The_served_tenants_admin_still_registers_a_channel_and_buyers_act_on_cards()
    {
        var (team, escalation, _) = await PostedEscalationAsync();
        var buyer = await app.BuyerAsync(team, "Diego Siciliani");

        var body = await app.ClickAsync(buyer, team, escalation, "escalation.acknowledge");

        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal(EscalationStatus.Acknowledged, (await app.EscalationAsync(escalation.CheckInId!)).Status);
    }

    /// <summary>Someone in another tenant whose directory gives them the name and email of the bot's admin.</summary>
    private TeamsUser LookalikeOfAdmin() => new(app.Admin.Name, app.Admin.Email);

    private async Task InstallFromOtherTenantAsync(TeamsUser user)
    {
        app.Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, Other);
        var response = await app.SendAsync(TeamsActivities.FromTenant(TeamsActivities.Installed(user, app.Connector.ServiceUrl), Other));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>The real admin registers a channel for a category of its own; a bad answer's card is posted there.</summary>
    private async Task<(TeamsChannel Team, Escalation Escalation, TeamsUser Requester)> PostedEscalationAsync()
    {
        await app.InstallAsync(app.Admin);
        var team = TeamsChannel.New();
        var category = $"cat-{Guid.NewGuid():N}"[..16];
        Assert.Contains("Done", await app.SayInChannelAsync(app.Admin, team, $"escalate here for {category}"), StringComparison.Ordinal);
        var requester = await app.InstallAsync("Megan Bowen");
        var checkInId = await app.AnswerBadlyAsync(requester, category);
        await app.ProcessEscalationsAsync();
        var escalation = await app.EscalationAsync(checkInId);
        Assert.NotNull(escalation.Card);
        return (team, escalation, requester);
    }
}
