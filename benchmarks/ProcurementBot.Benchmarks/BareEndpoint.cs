using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ProcurementBot.Benchmarks;

/// <summary>
/// The floor to compare against: an ASP.NET Core endpoint that only parses the activity and posts
/// one reply to the connector. No authentication, no storage, no conversation state.
/// </summary>
internal sealed class BareEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareEndpoint(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public static async Task<BareEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Urls"] = "http://127.0.0.1:0";
        builder.Logging.ClearProviders();
        builder.Services.AddHttpClient("connector");
        var app = builder.Build();
        app.MapPost("/api/messages", async (HttpRequest request, IHttpClientFactory clients, CancellationToken cancellationToken) =>
        {
            var activity = await JsonSerializer.DeserializeAsync<BareActivity>(request.Body, JsonSerializerOptions.Web, cancellationToken);
            if (activity?.ServiceUrl is null || activity.Conversation?.Id is null)
            {
                return Results.BadRequest();
            }

            var reply = new { type = "message", text = $"You said {activity.Text}", replyToId = activity.Id, from = activity.Recipient, recipient = activity.From, conversation = activity.Conversation };
            var url = $"{activity.ServiceUrl.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(activity.Conversation.Id)}/activities/{Uri.EscapeDataString(activity.Id ?? "")}";
            using var response = await clients.CreateClient("connector").PostAsJsonAsync(url, reply, cancellationToken);
            response.EnsureSuccessStatusCode();
            return Results.Ok();
        });
        await app.StartAsync();
        return new BareEndpoint(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record BareActivity(string? Type, string? Id, string? Text, string? ServiceUrl, BareAccount? From, BareAccount? Recipient, BareConversation? Conversation);

    private sealed record BareAccount(string? Id, string? Name);

    private sealed record BareConversation(string? Id, string? TenantId);
}
