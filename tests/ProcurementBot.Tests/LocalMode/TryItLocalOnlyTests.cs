namespace ProcurementBot.Tests.LocalMode;

/// <summary>The try-it page, its helpers and its Direct Line endpoint exist only for direct requests on this machine.</summary>
public sealed class TryItLocalOnlyTests(LocalModeBotApp app) : IClassFixture<LocalModeBotApp>
{
    [Theory]
    [MemberData(nameof(Origins.NotDirectlyLocal), MemberType = typeof(Origins))]
    public async Task Try_it_is_not_found_from_outside(string origin, string? remote, string? host, string header)
    {
        var headers = Origins.Headers(header);
        var page = await app.SendAsync(LocalModeBotApp.Request(HttpMethod.Get, "/", remote: remote, host: host, headers: headers));
        var script = await app.SendAsync(LocalModeBotApp.Request(HttpMethod.Get, "/try-it/try-it.js", remote: remote, host: host, headers: headers));
        var session = await app.SendAsync(LocalModeBotApp.Request(HttpMethod.Post, "/try-it/session", new { }, remote, host, headers));
        var purchase = await app.SendAsync(LocalModeBotApp.Request(HttpMethod.Post, "/try-it/purchases", new { }, remote, host, headers));
        var directLine = await app.SendAsync(LocalModeBotApp.Request(HttpMethod.Post, "/v3/directline/conversations", new { }, remote, host, headers));

        Assert.All(new[] { page, script, session, purchase, directLine }, r => Assert.True(r.StatusCode == HttpStatusCode.NotFound, $"{origin}: {r.RequestMessage!.RequestUri} {(int)r.StatusCode}"));
    }

    [Theory]
    [MemberData(nameof(Origins.DirectlyLocal), MemberType = typeof(Origins))]
    public async Task Try_it_is_served_to_direct_requests_on_this_machine(string origin, string? remote, string? host)
    {
        var page = await app.SendAsync(LocalModeBotApp.Request(HttpMethod.Get, "/", remote: remote, host: host));
        var session = await app.SendAsync(LocalModeBotApp.Request(HttpMethod.Post, "/try-it/session", new { }, remote, host));

        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{origin}: page {(int)page.StatusCode}");
        Assert.True(session.StatusCode == HttpStatusCode.OK, $"{origin}: session {(int)session.StatusCode}");
    }
}
