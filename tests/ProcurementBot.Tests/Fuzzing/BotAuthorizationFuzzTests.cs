namespace ProcurementBot.Tests.Fuzzing;

/// <summary>Malformed bearer tokens on /api/messages with authentication on: 401 with WWW-Authenticate, never a 5xx, nothing stored.</summary>
public sealed class BotAuthorizationFuzzTests(AuthenticatedBotApp app) : IClassFixture<AuthenticatedBotApp>
{
    [Theory]
    [InlineData("Bearer not.a.jwt")]
    [InlineData("Bearer eyJhbGciOiJSUzI1NiJ9.eyJ.x")]
    [InlineData("Bearer a.b.c")]
    public async Task A_malformed_bearer_token_is_401_with_WWW_Authenticate(string authorization)
    {
        var user = new TeamsUser("Not Ajwt", $"not.a.jwt.{Guid.NewGuid():N}@contoso.com");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = System.Net.Http.Json.JsonContent.Create((JsonNode)TeamsActivities.Message(user, app.Connector.ServiceUrl, "help")),
        };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await app.CreateClient().SendAsync(request);

        await response.ProblemAsync(System.Net.HttpStatusCode.Unauthorized);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        Assert.Empty(app.CallsTo(user));
    }

    [Fact]
    public async Task Malformed_bearer_tokens_on_api_messages_are_401_never_a_server_error()
    {
        var user = new TeamsUser("Fuzz Token", $"fuzz.token.{Guid.NewGuid():N}@contoso.com");
        var activity = TeamsActivities.Message(user, app.Connector.ServiceUrl, "help");

        await FuzzRun.AssertNeverFailsAsync("/api/messages Authorization", FuzzSeed.Cases(200),
            (inputs, i) => new FuzzCase(AuthorizationFuzz.Header(inputs, app.ChannelToken()), [], null),
            async (fuzz, ct) =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = System.Net.Http.Json.JsonContent.Create((JsonNode)activity) };
                request.Headers.TryAddWithoutValidation("Authorization", fuzz.What);
                var response = await app.CreateClient().SendAsync(request, ct);
                AuthorizationFuzz.AssertRefused(response, fuzz);
                return response;
            },
            StoreSnapshot.Of(app, "instances"));
    }
}
