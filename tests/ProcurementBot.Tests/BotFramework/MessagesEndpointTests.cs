using ProcurementBot.BotFramework;
using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.BotFramework;

/// <summary>POST /api/messages in local (unauthenticated) mode: bad activities change nothing, odd ones are ignored.</summary>
public sealed class MessagesEndpointTests(BotApp app) : IClassFixture<BotApp>
{
    public static TheoryData<string, string> MalformedBodies => new()
    {
        // body → what the error says
        { "{", "not a valid activity" },
        { "not json", "not a valid activity" },
        { "", "not a valid activity" },
        { "[]", "not a valid activity" },
        { "\"message\"", "not a valid activity" },
        { "{\"type\": 5}", "not a valid activity" },
        { "null", "empty or null" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_json_gets_400_problem_details(string body, string says)
    {
        var calls = app.Connector.Calls.Count;

        var response = await app.PostAsync("/api/messages", HttpBodies.Text(body, "application/json"));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Malformed activity", problem["title"]!.GetValue<string>());
        Assert.Contains(says, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(calls, app.Connector.Calls.Count);
    }

    private static readonly Dictionary<string, (Action<JsonObject> Break, string Says)> MissingFields = new()
    {
        ["no type"] = (a => a.Remove("type"), "no type"),
        ["blank type"] = (a => a["type"] = " ", "no type"),
        ["no channelId"] = (a => a.Remove("channelId"), "no channelId"),
        ["no serviceUrl"] = (a => a.Remove("serviceUrl"), "no valid serviceUrl"),
        ["relative serviceUrl"] = (a => a["serviceUrl"] = "/v3/conversations", "no valid serviceUrl"),
        ["ftp serviceUrl"] = (a => a["serviceUrl"] = "ftp://smba.trafficmanager.net/emea/", "no valid serviceUrl"),
        ["no conversation"] = (a => a.Remove("conversation"), "no conversation id"),
        ["conversation without id"] = (a => a["conversation"]!.AsObject().Remove("id"), "no conversation id"),
        ["no from"] = (a => a.Remove("from"), "no from.id"),
        ["from without id"] = (a => a["from"]!["id"] = "", "no from.id"),
        ["control character in the activity id"] = (a => a["id"] = "Europe/Berlin\u0000", "control characters"),
        ["control character in the conversation id"] = (a => a["conversation"]!["id"] = "a:1\u0007b", "control characters"),
        ["control character in from.id"] = (a => a["from"]!["id"] = "29:1\nX", "control characters"),
        ["control character in channelId"] = (a => a["channelId"] = "msteams\u001f", "control characters"),
    };

    public static TheoryData<string> MissingFieldNames => [.. MissingFields.Keys];

    [Theory]
    [MemberData(nameof(MissingFieldNames))]
    public async Task An_activity_missing_a_required_field_gets_400_and_changes_nothing(string missing)
    {
        var (breakIt, says) = MissingFields[missing];
        var user = NewUser();
        var activity = TeamsActivities.Message(user, app.Connector.ServiceUrl, "help");
        breakIt(activity);
        var calls = app.Connector.Calls.Count;

        var response = await app.SendAsync(activity);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(says, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(calls, app.Connector.Calls.Count);
        Assert.Null(await app.Store.GetPersonAsync(PersonId(user), default));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_1_MB_gets_413_and_changes_nothing(bool announceLength)
    {
        var user = NewUser();
        var body = HttpBodies.Padded(TeamsActivities.Message(user, app.Connector.ServiceUrl, "help"), BotEndpoints.MaxActivityBytes + 1);
        var calls = app.Connector.Calls.Count;

        var response = await app.PostAsync("/api/messages", HttpBodies.Sized(body, "application/json", announceLength));

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(calls, app.Connector.Calls.Count);
        Assert.Null(await app.Store.GetPersonAsync(PersonId(user), default));
    }

    [Fact]
    public async Task A_reply_the_connector_refuses_is_acknowledged_rather_than_a_500_the_channel_would_retry_in_vain()
    {
        var user = NewUser();
        app.Connector.FailNext("POST", 404, "ConversationNotFound");
        var calls = app.Connector.Calls.Count;

        var response = await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, "help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The turn did its work (the person is known) and tried the reply once: no apology into a conversation that is gone.
        Assert.NotNull(await app.Store.GetPersonAsync(PersonId(user), default));
        Assert.Single(app.Connector.Calls.Skip(calls), c => c.Method == "POST");
    }

    [Fact]
    public async Task A_body_of_exactly_1_MB_is_processed()
    {
        var user = NewUser();
        var body = HttpBodies.Padded(TeamsActivities.Message(user, app.Connector.ServiceUrl, "help"), BotEndpoints.MaxActivityBytes);

        var response = await app.PostAsync("/api/messages", HttpBodies.Sized(body, "application/json", announceLength: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(app.CallsTo(user), c => c.Text == BotText.Help);
    }

    public static TheoryData<string> IgnoredTypes => new() { "typing", "messageReaction", "event", "endOfConversation", "deleteUserData", "handoff", "somethingFromTheFuture" };

    [Theory]
    [MemberData(nameof(IgnoredTypes))]
    public async Task Activity_types_the_bot_does_not_handle_get_200_and_are_ignored(string type)
    {
        var user = NewUser();
        var activity = TeamsActivities.Message(user, app.Connector.ServiceUrl, "help");
        activity["type"] = type;
        activity["name"] = "application/vnd.microsoft.meetingStart";
        activity["reactionsAdded"] = new JsonArray(new JsonObject { ["type"] = "like" });
        var calls = app.Connector.Calls.Count;

        var response = await app.SendAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(calls, app.Connector.Calls.Count);
        Assert.Null(await app.Store.GetPersonAsync(PersonId(user), default));
    }

    [Fact]
    public async Task Unknown_fields_anywhere_in_an_activity_are_tolerated()
    {
        var user = NewUser();
        var activity = TeamsActivities.Message(user, app.Connector.ServiceUrl, "help");
        activity["someFutureField"] = new JsonObject { ["nested"] = new JsonArray(1, "two", null, true) };
        activity["attachmentLayout"] = "carousel";
        activity["from"]!["userRole"] = "user";
        activity["conversation"]!["isSecret"] = false;
        activity["recipient"]!["flags"] = new JsonArray("a", "b");
        activity["channelData"]!["settings"] = new JsonObject { ["selectedChannel"] = new JsonObject { ["id"] = "19:abc" } };

        var response = await app.SendAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(app.CallsTo(user), c => c.Method == "POST");
        Assert.Equal(BotText.Help, reply.Text);
        Assert.NotNull(await app.Store.GetPersonAsync(PersonId(user), default));
    }

    [Fact]
    public async Task An_adaptive_card_action_invoke_is_answered_in_the_http_response()
    {
        var user = NewUser();
        var invoke = TeamsActivities.Message(user, app.Connector.ServiceUrl, "");
        invoke["type"] = "invoke";
        invoke["name"] = "adaptiveCard/action";
        invoke["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "checkin.answer", ["data"] = new JsonObject { ["q_overall"] = "4" } },
            ["trigger"] = "manual",
        };
        var calls = app.Connector.Calls.Count;

        var response = await app.SendAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.Equal("UnknownAction", body["value"]!["code"]!.GetValue<string>());
        Assert.Equal(calls, app.Connector.Calls.Count);
    }

    [Theory]
    [InlineData("task/fetch")]
    [InlineData("composeExtension/query")]
    [InlineData("signin/verifyState")]
    public async Task Other_invokes_are_answered_501_not_implemented(string name)
    {
        var user = NewUser();
        var invoke = TeamsActivities.Message(user, app.Connector.ServiceUrl, "");
        invoke["type"] = "invoke";
        invoke["name"] = name;
        var calls = app.Connector.Calls.Count;

        var response = await app.SendAsync(invoke);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal(calls, app.Connector.Calls.Count);
    }

    private static TeamsUser NewUser() => new("Adele Vance", $"adele.{Guid.NewGuid():N}@contoso.com");

    private static string PersonId(TeamsUser user) => $"msteams:{user.UserId}";
}
