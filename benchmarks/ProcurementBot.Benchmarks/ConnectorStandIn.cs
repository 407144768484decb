using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ProcurementBot.Benchmarks;

/// <summary>
/// A lean Bot Connector on loopback: answers sends and updates with an id and member lookups with
/// a Teams-shaped member, and only counts calls, so it costs both contenders the same.
/// </summary>
internal sealed class ConnectorStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _calls;

    private ConnectorStandIn(WebApplication app) => _app = app;

    public string ServiceUrl { get; private set; } = "";

    public long Calls => Interlocked.Read(ref _calls);

    public static async Task<ConnectorStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Urls"] = "http://127.0.0.1:0";
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new ConnectorStandIn(app);
        app.MapPost("/v3/conversations/{conversationId}/activities", stub.Sent);
        app.MapPost("/v3/conversations/{conversationId}/activities/{activityId}", stub.Sent);
        app.MapPut("/v3/conversations/{conversationId}/activities/{activityId}", stub.Sent);
        app.MapGet("/v3/conversations/{conversationId}/members/{memberId}", stub.Member);
        await app.StartAsync();
        stub.ServiceUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return stub;
    }

    private IResult Sent()
    {
        var n = Interlocked.Increment(ref _calls);
        return Results.Json(new { id = $"1:{n}" });
    }

    private IResult Member(string memberId)
    {
        Interlocked.Increment(ref _calls);
        var user = WebUtility.UrlDecode(memberId);
        return Results.Json(new
        {
            id = user,
            name = "Load Test User",
            aadObjectId = Load.AadObjectIdOf(user),
            email = Load.EmailOf(user),
            userPrincipalName = Load.EmailOf(user),
            tenantId = Load.TenantId,
            userRole = "user",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
