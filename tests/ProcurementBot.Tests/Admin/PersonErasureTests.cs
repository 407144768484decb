using System.Security.Cryptography;
using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.Admin;

/// <summary>DELETE /api/admin/people/{email}: everything about one person goes, their escalations stay anonymised, the audit keeps no email.</summary>
public sealed class PersonErasureTests(AdminBotApp app) : IClassFixture<AdminBotApp>
{
    [Fact]
    public async Task Erasing_a_person_removes_them_and_their_check_ins_and_anonymises_their_escalation()
    {
        var requester = await app.InstallAsync("Megan Bowen");
        var answered = await app.AnswerBadlyAsync(requester, "laptops");
        var scheduled = $"PO-{Guid.NewGuid():N}"[..16];
        (await app.PostPurchasesAsync(BotApp.Purchase(requester.Email, scheduled))).EnsureSuccessStatusCode();
        var bystander = await app.InstallAsync("Alex Wilber");
        var theirs = $"PO-{Guid.NewGuid():N}"[..16];
        (await app.PostPurchasesAsync(BotApp.Purchase(bystander.Email, theirs))).EnsureSuccessStatusCode();
        var escalation = await app.EscalationAsync(answered);
        Assert.True(escalation.NamesRequester);

        var response = await app.AdminAsync(HttpMethod.Delete, $"/api/admin/people/{requester.Email.ToUpperInvariant()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((1, 2, 1), (body["people"]!.GetValue<int>(), body["checkIns"]!.GetValue<int>(), body["escalationsAnonymised"]!.GetValue<int>()));
        Assert.Contains("anonymised", body["note"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);

        Assert.Null(await app.Store.FindPersonByAddressAsync(requester.Email, default));
        Assert.Null(await app.Store.GetPersonAsync($"msteams:{requester.UserId}", default));
        Assert.Null(await app.Store.GetCheckInAsync(answered, default));
        Assert.Null(await app.Store.GetCheckInAsync(scheduled, default));
        Assert.Empty(await app.Store.GetCheckInsForRequesterAsync(requester.Email, Enum.GetValues<CheckInStatus>(), default));
        var kept = await app.EscalationAsync(answered);
        Assert.False(kept.NamesRequester);
        Assert.Equal((escalation.Supplier, escalation.Comment, escalation.Answers.Count), (kept.Supplier, kept.Comment, kept.Answers.Count));
        Assert.DoesNotContain(requester.Email, ProcurementBot.Storage.StoreJson.Serialize(kept), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(requester.Name, ProcurementBot.Storage.StoreJson.Serialize(kept), StringComparison.Ordinal);

        // The bystander keeps everything.
        Assert.NotNull(await app.Store.FindPersonByAddressAsync(bystander.Email, default));
        Assert.NotNull(await app.Store.GetCheckInAsync(theirs, default));
    }

    [Fact]
    public async Task The_erasure_is_audited_by_a_hash_of_the_email_never_the_email()
    {
        var requester = await app.InstallAsync("Lynne Robbins");

        (await app.AdminAsync(HttpMethod.Delete, $"/api/admin/people/{requester.Email}")).EnsureSuccessStatusCode();

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requester.Email.ToLowerInvariant())));
        var entry = (await app.AuditAsync()).Single(e => e!["target"]!.GetValue<string>() == $"person:sha256:{hash}")!;
        Assert.Equal("erase", entry["action"]!.GetValue<string>());
        var keyDigest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AdminBotApp.AdminKey)))[..6];
        Assert.Equal($"api-key:{keyDigest}", entry["actorId"]!.GetValue<string>());
        Assert.DoesNotContain(AdminBotApp.AdminKey, entry.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(requester.Email.Split('@')[0], entry.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Erasing_an_unknown_email_answers_zero_counts()
    {
        var response = await app.AdminAsync(HttpMethod.Delete, $"/api/admin/people/nobody.{Guid.NewGuid():N}@contoso.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((0, 0, 0), (body["people"]!.GetValue<int>(), body["checkIns"]!.GetValue<int>(), body["escalationsAnonymised"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("alice@")]
    [InlineData("@contoso.com")]
    public async Task An_invalid_email_gets_400_and_nothing_is_audited(string email)
    {
        var before = (await app.AuditAsync()).Count;

        var response = await app.AdminAsync(HttpMethod.Delete, $"/api/admin/people/{Uri.EscapeDataString(email)}");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["email"]);
        Assert.Equal(before, (await app.AuditAsync()).Count);
    }
}
