using System.Text.Json;
using ProcurementBot.BotFramework;
using ProcurementBot.TryIt;

namespace ProcurementBot.Tests.TryIt;

/// <summary>The in-process connector answers the try-it service URL only; every other call reaches the network as before.</summary>
public sealed class DirectLineConnectorHandlerTests
{
    [Fact]
    public async Task Calls_to_other_service_urls_pass_through_untouched()
    {
        var network = new RecordingHandler();
        using var client = new HttpClient(new DirectLineConnectorHandler(new DirectLineConversations(TimeProvider.System)) { InnerHandler = network });

        var response = await client.PostAsJsonAsync("https://smba.trafficmanager.net/teams/v3/conversations/a%3A1/activities", new { type = "message" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("https://smba.trafficmanager.net/teams/v3/conversations/a%3A1/activities", Assert.Single(network.Requests).AbsoluteUri);
    }

    [Fact]
    public async Task Sends_and_updates_to_the_try_it_url_land_in_the_conversation_without_the_network()
    {
        var network = new RecordingHandler();
        var conversations = new DirectLineConversations(TimeProvider.System);
        var pane = conversations.Open("employee-1", "Alex", isChannel: false);
        using var client = new HttpClient(new DirectLineConnectorHandler(conversations) { InnerHandler = network })
        {
            BaseAddress = new Uri(DirectLineConversations.ServiceUrl),
        };

        var sent = await client.PostAsJsonAsync($"v3/conversations/{pane.Id}/activities", new Activity { Type = "message", Text = "first" }, ProtocolJson.Options);
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var updated = await client.PutAsJsonAsync($"v3/conversations/{pane.Id}/activities/{Uri.EscapeDataString(id)}", new Activity { Type = "message", Text = "second" }, ProtocolJson.Options);
        var unknown = await client.PostAsJsonAsync("v3/conversations/nobody/activities", new Activity { Type = "message" }, ProtocolJson.Options);

        Assert.Empty(network.Requests);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var stream = conversations.Since(pane.Id, 0)!.Value.Activities;
        Assert.Equal(["first", "second"], stream.Select(a => a.GetProperty("text").GetString()));
        Assert.All(stream, a => Assert.Equal(id, a.GetProperty("id").GetString()));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted));
        }
    }
}
