using ProcurementBot.Admin;

namespace ProcurementBot.Tests.Admin;

/// <summary>GET /api/admin/audit: who changed what and when, newest first, and refusals of bad parameters.</summary>
public sealed class AdminAuditTests(AdminBotApp app) : IClassFixture<AdminBotApp>
{
    [Fact]
    public async Task Admin_changes_are_recorded_with_who_what_and_when_and_listed_newest_first()
    {
        var audit = app.Services.GetRequiredService<AdminAudit>();
        var actor = new AdminActor("entra:" + Guid.NewGuid(), "Ada Admin");
        var start = app.Clock.GetUtcNow();
        await audit.RecordAsync(actor, "create", "question-set:first", "version 1", default);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await audit.RecordAsync(actor, "update", "question-set:first", "version 2", default);
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var mine = (await app.AuditAsync()).Where(e => e!["actorId"]!.GetValue<string>() == actor.Id).ToList();

        Assert.Equal(["update", "create"], mine.Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal("Ada Admin", mine[0]!["actorName"]!.GetValue<string>());
        Assert.Equal("question-set:first", mine[0]!["target"]!.GetValue<string>());
        Assert.Equal("version 2", mine[0]!["details"]!.GetValue<string>());
        Assert.Equal(start.AddMinutes(1), mine[0]!["at"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task The_range_and_max_limit_the_list()
    {
        var audit = app.Services.GetRequiredService<AdminAudit>();
        var actor = new AdminActor("api-key:" + Guid.NewGuid().ToString("N")[..6], "API key");
        app.Clock.Advance(TimeSpan.FromDays(400));
        var from = app.Clock.GetUtcNow();
        for (var i = 0; i < 3; i++)
        {
            await audit.RecordAsync(actor, "update", $"question-set:{i}", null, default);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var query = $"?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(app.Clock.GetUtcNow().ToString("O"))}";
        Assert.Equal(["question-set:2", "question-set:1", "question-set:0"], Targets(await app.AuditAsync(query)));
        Assert.Equal(["question-set:2"], Targets(await app.AuditAsync(query + "&max=1")));
        Assert.Equal(["question-set:1", "question-set:0"], Targets(await app.AuditAsync(
            $"?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(from.AddSeconds(1).ToString("O"))}&max=5000")));
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=2026-13-45", "to")]
    [InlineData("?max=0", "max")]
    [InlineData("?max=-3", "max")]
    [InlineData("?max=ten", "max")]
    [InlineData("?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "from")]
    public async Task A_bad_parameter_gets_400_naming_it(string query, string parameter)
    {
        var response = await app.AdminAsync(HttpMethod.Get, $"/api/admin/audit{query}");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![parameter]);
        Assert.Contains(parameter, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static List<string> Targets(JsonArray entries) => [.. entries.Select(e => e!["target"]!.GetValue<string>())];
}
