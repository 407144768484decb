using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Fuzzing;

/// <summary>
/// Malformed Slack requests, signed with the test secret so they reach the parser: events and interactions (block
/// actions, modal submissions). Never a 5xx, never a hang, nothing stored for a refused request.
/// </summary>
public sealed class SlackFuzzTests(SlackBotApp app) : IClassFixture<SlackBotApp>
{
    [Fact]
    public async Task Malformed_signed_events_are_never_a_server_error_and_refused_ones_change_nothing()
    {
        var member = app.Slack.AddMember(new SlackMember("U0FUZZEV1", "fuzz.events@contoso.com", "Fuzz Events"));
        JsonObject[] examples =
        [
            SlackPayloads.DirectMessage(member, "help"),
            SlackPayloads.UrlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"),
            SlackPayloads.BotsOwnMessage(member, "Thanks!"),
        ];

        await FuzzRun.AssertNeverFailsAsync("/api/slack/events", FuzzSeed.Cases(300),
            (inputs, i) =>
            {
                var example = (JsonObject)inputs.Pick(examples).DeepClone();
                if (example["event_id"] is not null)
                {
                    example["event_id"] = SlackPayloads.NewEventId();
                }

                return inputs.Json(example, "application/json", SlackEndpoints.MaxBodyBytes);
            },
            (fuzz, ct) => app.AdvancingAsync(app.PostSignedBytesAsync("/api/slack/events", fuzz.Body, fuzz.ContentType).WaitAsync(ct)),
            StoreSnapshot.Of(app),
            () => app.WaitForSlackIdleAsync());
    }

    [Fact]
    public async Task Malformed_signed_interactions_are_never_a_server_error_and_refused_ones_change_nothing()
    {
        var member = app.Slack.AddMember(new SlackMember("U0FUZZIN1", "fuzz.interactions@contoso.com", "Fuzz Interactions"));
        JsonObject[] examples = [BlockAction(member, SlackCheckInBlocks.AnswerAction, "checkin|PO-FUZZ|overall", "5"),
            BlockAction(member, SlackEscalationBlocks.AcknowledgeAction, "escalation", "{\"escalationId\":\"esc-fuzz\"}"), ViewSubmission(member)];

        await FuzzRun.AssertNeverFailsAsync("/api/slack/interactions", FuzzSeed.Cases(300),
            (inputs, i) =>
            {
                if (inputs.Next(8) == 0)
                {
                    return new FuzzCase("form of junk", inputs.Junk(400), "application/x-www-form-urlencoded");
                }

                var json = inputs.Json(inputs.Pick(examples), "application/x-www-form-urlencoded", SlackEndpoints.MaxBodyBytes);
                // The payload field carries the JSON; its bytes are percent-encoded as they are, broken UTF-8 included.
                var form = Encoding.ASCII.GetBytes("payload=").Concat(Encoding.ASCII.GetBytes(System.Web.HttpUtility.UrlEncode(json.Body))).ToArray();
                return json with { Body = form };
            },
            // A modal submission is answered after Web API calls paced on the bot's clock, which moves on meanwhile.
            (fuzz, ct) => app.AdvancingAsync(app.PostSignedBytesAsync("/api/slack/interactions", fuzz.Body, fuzz.ContentType).WaitAsync(ct)),
            StoreSnapshot.Of(app),
            () => app.WaitForSlackIdleAsync());
    }

    [Fact]
    public async Task A_signed_event_with_duplicate_keys_is_400_and_not_worked()
    {
        var member = app.Slack.AddMember(new SlackMember("U0DUPKEY1", "dup.key@contoso.com", "Dup Key"));
        var json = SlackPayloads.DirectMessage(member, "help").ToJsonString();
        var twice = json.Replace("\"type\":\"event_callback\"", "\"type\":\"event_callback\",\"type\":\"url_verification\"", StringComparison.Ordinal);

        var response = await app.PostSignedBytesAsync("/api/slack/events", Encoding.UTF8.GetBytes(twice), "application/json");

        await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.True(await app.WaitForSlackIdleAsync());
        Assert.DoesNotContain(app.Slack.Calls, c => c.Arg("channel") == SlackPayloads.DirectMessageOf(member));
    }

    [Fact]
    public async Task A_signed_event_whose_authorizations_are_not_objects_is_acknowledged_not_a_server_error()
    {
        var member = app.Slack.AddMember(new SlackMember("U0AUTHSTR", "auth.str@contoso.com", "Auth Str"));
        var envelope = SlackPayloads.DirectMessage(member, "help");
        envelope["authorizations"] = new JsonArray("U0PROCBOT", 7, new JsonArray());

        var response = await app.AdvancingAsync(app.PostEventAsync(envelope));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(await app.WaitForSlackIdleAsync());
    }

    [Theory]
    [InlineData("block_actions")]
    [InlineData("view_submission")]
    public async Task A_signed_interaction_whose_user_is_not_an_object_is_not_a_server_error(string type)
    {
        var member = app.Slack.AddMember(new SlackMember("U0USERSTR", "user.str@contoso.com", "User Str"));
        var payload = type == "block_actions"
            ? BlockAction(member, SlackEscalationBlocks.AcknowledgeAction, "escalation", "{\"escalationId\":\"esc-none\"}")
            : ViewSubmission(member);
        payload["user"] = member.Id;

        var response = await app.AdvancingAsync(app.PostInteractionAsync(payload));

        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.True(await app.WaitForSlackIdleAsync());
    }

    private static JsonObject BlockAction(SlackMember member, string actionId, string blockId, string value) => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = member.Id, ["username"] = "fuzz", ["name"] = "fuzz", ["team_id"] = SlackApiStandIn.TeamId },
        ["api_app_id"] = SlackPayloads.AppId,
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000100", ["channel_id"] = SlackPayloads.DirectMessageOf(member) },
        ["trigger_id"] = "1700000000.47445629121.803a0bc887a14d10d2c447fce8b6703c",
        ["team"] = new JsonObject { ["id"] = SlackApiStandIn.TeamId, ["domain"] = "contoso" },
        ["channel"] = new JsonObject { ["id"] = SlackPayloads.DirectMessageOf(member), ["name"] = "directmessage" },
        ["message"] = new JsonObject { ["type"] = "message", ["ts"] = "1700000000.000100", ["text"] = "Check-in" },
        ["response_url"] = $"https://hooks.slack.com/actions/{SlackApiStandIn.TeamId}/1/abc",
        ["actions"] = new JsonArray
        {
            new JsonObject { ["action_id"] = actionId, ["block_id"] = blockId, ["value"] = value, ["type"] = "button", ["action_ts"] = "1700000000.000200" },
        },
    };

    private static JsonObject ViewSubmission(SlackMember member) => new()
    {
        ["type"] = "view_submission",
        ["user"] = new JsonObject { ["id"] = member.Id, ["name"] = "fuzz", ["team_id"] = SlackApiStandIn.TeamId },
        ["team"] = new JsonObject { ["id"] = SlackApiStandIn.TeamId },
        ["view"] = new JsonObject
        {
            ["id"] = "V0FUZZ",
            ["callback_id"] = SlackEscalationBlocks.ResolveView,
            ["private_metadata"] = "{\"escalationId\":\"esc-fuzz\",\"channel\":\"C0FUZZ\",\"ts\":\"1700000000.000300\"}",
            ["state"] = new JsonObject
            {
                ["values"] = new JsonObject
                {
                    [SlackEscalationBlocks.NoteBlock] = new JsonObject { [SlackEscalationBlocks.NoteBlock] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Replaced" } },
                },
            },
        },
    };
}
