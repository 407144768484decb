using System.Diagnostics;
using System.Net.Http.Headers;
using ProcurementBot.People;

namespace ProcurementBot.Tests.Slack;

/// <summary>
/// /api/slack/events and /api/slack/interactions: signed requests only, url_verification, acknowledged at once, each event
/// once. What is acknowledged is stored first, so once the inbox is idle everything acknowledged has been handled.
/// </summary>
public sealed class SlackRequestTests(SlackBotApp app) : IClassFixture<SlackBotApp>
{
    private SlackMember Member(string id) => app.Slack.AddMember(new SlackMember(id, $"{id.ToLowerInvariant()}@contoso.com", "Robin Request"));

    [Fact]
    public async Task Url_verification_is_answered_with_the_challenge()
    {
        var response = await app.PostEventAsync(SlackPayloads.UrlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", body["challenge"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forged_stale_or_unsigned_requests_are_401_and_change_nothing()
    {
        var member = Member("U0FORGED1");
        var forged = await app.PostEventAsync(SlackPayloads.DirectMessage(member, "opt out"), signature: "v0=" + new string('a', 64));
        var stale = await app.PostEventAsync(SlackPayloads.DirectMessage(member, "opt out"), signedAt: app.Clock.GetUtcNow().AddMinutes(-6));
        var click = await app.PostInteractionAsync(new JsonObject { ["type"] = "block_actions" }, signature: "v0=" + new string('b', 64));
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/slack/events")
        {
            Content = new StringContent(SlackPayloads.DirectMessage(member, "opt out").ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var missing = await app.CreateClient().SendAsync(unsigned);

        foreach (var response in new[] { forged, stale, click, missing })
        {
            await response.ProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.True(await app.WaitForSlackIdleAsync());
        Assert.DoesNotContain(app.Slack.Calls, c => c.Arg("user") == member.Id || c.Arg("channel") == SlackPayloads.DirectMessageOf(member));
        Assert.Null(await app.Store.GetPersonAsync(Person.MakeId("slack", member.Id), default));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_before_its_signature_is_even_read()
    {
        var content = new ByteArrayContent(new byte[300 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/slack/events") { Content = content };

        var response = await app.CreateClient().SendAsync(request);

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Retries_and_duplicate_event_ids_are_acknowledged_and_ignored()
    {
        var member = Member("U0RETRY1");
        var eventId = SlackPayloads.NewEventId();
        var first = SlackPayloads.DirectMessage(member, "help", eventId);

        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(first)).StatusCode);
        await WaitForPostsToAsync(member, 1);
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(first, retryNum: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(first, retryNum: 2)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventAsync(first)).StatusCode);
        Assert.True(await app.WaitForSlackIdleAsync());

        Assert.Single(PostsTo(member));
        Assert.Single(app.Slack.CallsOf("users.info"), c => c.Arg("user") == member.Id);
    }

    [Fact]
    public async Task The_bots_own_messages_are_ignored()
    {
        var member = Member("U0ECHO1");

        var response = await app.PostEventAsync(SlackPayloads.BotsOwnMessage(member, "Thanks! Your answers are saved."));
        Assert.True(await app.WaitForSlackIdleAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(PostsTo(member));
    }

    [Fact]
    public async Task A_typed_help_is_answered_in_mrkdwn_with_fallback_text()
    {
        var member = Member("U0HELP1");

        await app.PostEventAsync(SlackPayloads.DirectMessage(member, "help"));
        var post = (await WaitForPostsToAsync(member, 1))[0];

        Assert.Contains("*skip* skips an optional question", post.Arg("text"), StringComparison.Ordinal);
        Assert.DoesNotContain("**", post.Arg("text"), StringComparison.Ordinal);
        var section = post.Arguments["blocks"]![0]!;
        Assert.Equal("mrkdwn", section["text"]!["type"]!.GetValue<string>());
        Assert.Contains("*status* lists your open check-ins", section["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private List<SlackCall> PostsTo(SlackMember member) =>
        [.. app.Slack.CallsOf("chat.postMessage").Where(c => c.Arg("channel") == SlackPayloads.DirectMessageOf(member))];

    private async Task<List<SlackCall>> WaitForPostsToAsync(SlackMember member, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (PostsTo(member).Count < count && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        return PostsTo(member);
    }
}

/// <summary>Slack takes three seconds at most to be answered: the bot acknowledges first and works afterwards.</summary>
public sealed class SlackAcknowledgementTests(SlackBotApp app) : IClassFixture<SlackBotApp>
{
    [Fact]
    public async Task An_event_is_acknowledged_before_the_slow_work_it_starts_is_done()
    {
        var member = app.Slack.AddMember(new SlackMember("U0SLOW1", "slow@contoso.com", "Sam Slow"));
        await app.PostEventAsync(SlackPayloads.UrlVerification("warm-up")); // the bot starts on its first request
        app.Slack.Latency = TimeSpan.FromSeconds(2);
        try
        {
            var timer = Stopwatch.StartNew();
            var response = await app.PostEventAsync(SlackPayloads.DirectMessage(member, "status"));
            var answeredIn = timer.Elapsed;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(answeredIn < TimeSpan.FromSeconds(1), $"The event was acknowledged after {answeredIn}.");
            Assert.Empty(app.Slack.CallsOf("chat.postMessage"));

            // users.info and chat.postMessage each take 2 s; the reply still comes, after the acknowledgement.
            var posts = await app.WaitForSlackAsync("chat.postMessage");
            Assert.Contains("no open check-ins", posts[0].Arg("text"), StringComparison.Ordinal);
            Assert.True(timer.Elapsed >= TimeSpan.FromSeconds(4));
        }
        finally
        {
            app.Slack.Latency = TimeSpan.Zero;
        }
    }
}

/// <summary>Without Slack settings the Slack endpoints say so, and the rest of the bot runs as before.</summary>
public sealed class SlackNotConfiguredTests(BotApp app) : IClassFixture<BotApp>
{
    [Theory]
    [InlineData("/api/slack/events")]
    [InlineData("/api/slack/interactions")]
    public async Task The_endpoints_answer_503_naming_the_settings(string path)
    {
        var response = await app.CreateClient().PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"));

        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Slack:SigningSecret", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
