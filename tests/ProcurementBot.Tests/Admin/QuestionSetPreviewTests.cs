namespace ProcurementBot.Tests.Admin;

/// <summary>
/// Previews: the check-in employees would see, from a set in the body or a stored one: the Adaptive Card (valid for the
/// official renderer) and the Slack Block Kit message beside it.
/// </summary>
public sealed class QuestionSetPreviewTests(QuestionSetBotApp app) : IClassFixture<QuestionSetBotApp>
{
    private const string Sets = "/api/admin/question-sets";

    [Fact]
    public async Task A_stored_set_previews_as_the_first_check_in_card_with_a_sample_purchase()
    {
        var response = await app.AdminAsync(HttpMethod.Get, $"{Sets}/it-hardware/preview");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var card = preview["adaptiveCard"]!;
        await AdaptiveCardValidator.AssertValidAsync(card);
        var text = card.ToJsonString();
        Assert.Contains("How happy are you with Latitude 7450 laptop from Contoso Supplies?", text, StringComparison.Ordinal);
        Assert.Contains("Did it work out of the box?", text, StringComparison.Ordinal);
        Assert.DoesNotContain("What went wrong?", text, StringComparison.Ordinal); // a follow-up comes on a later card
    }

    [Fact]
    public async Task A_set_in_the_body_previews_without_being_stored_and_an_invalid_one_is_400()
    {
        var set = JsonNode.Parse("""
            {"id":"preview-only","name":"Preview","categories":["preview-cat"],
             "questions":[{"id":"nps","type":"nps","text":"Would you recommend {supplier}?"},{"id":"pick","type":"choice","text":"Which?","choices":["A","B"]}]}
            """)!;

        var response = await app.AdminAsync(HttpMethod.Post, $"{Sets}/preview", set);
        set["questions"]![1]!["choices"] = new JsonArray();
        var invalid = await app.AdminAsync(HttpMethod.Post, $"{Sets}/preview", set);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["adaptiveCard"]!;
        await AdaptiveCardValidator.AssertValidAsync(card);
        Assert.Contains("Would you recommend Contoso Supplies?", card.ToJsonString(), StringComparison.Ordinal);
        await invalid.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await app.Store.GetQuestionSetVersionsAsync("preview-only", default));
    }

    [Fact]
    public async Task A_preview_shows_the_same_check_in_in_Block_Kit_with_buttons_and_selects()
    {
        var set = JsonNode.Parse("""
            {"id":"preview-slack","name":"Preview","categories":["preview-slack-cat"],
             "questions":[{"id":"overall","type":"rating","text":"How happy are you with {description}?"},
                          {"id":"nps","type":"nps","text":"Would you recommend {supplier}?"},
                          {"id":"pick","type":"choice","text":"Which?","choices":["A","B"]},
                          {"id":"onTime","type":"yesNo","text":"On time?","required":false}]}
            """)!;

        var stored = JsonNode.Parse(await (await app.AdminAsync(HttpMethod.Get, $"{Sets}/general-goods/preview")).Content.ReadAsStringAsync())!;
        var posted = JsonNode.Parse(await (await app.AdminAsync(HttpMethod.Post, $"{Sets}/preview", set)).Content.ReadAsStringAsync())!;

        var blockKit = stored["blockKit"]!;
        Assert.Contains("How happy are you with Latitude 7450 laptop from Contoso Supplies?", blockKit["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var blocks = blockKit["blocks"]!.AsArray();
        Assert.InRange(blocks.Count, 1, 50);
        Assert.Contains(blocks, b => b!["type"]!.GetValue<string>() == "actions"
            && b["elements"]!.AsArray().Select(e => e!["value"]?.GetValue<string>()).SequenceEqual(["1", "2", "3", "4", "5"]));
        Assert.DoesNotContain("What went wrong?", blockKit.ToJsonString(), StringComparison.Ordinal);

        var elements = posted["blockKit"]!["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "actions")
            .SelectMany(b => b!["elements"]!.AsArray()).ToList();
        Assert.Equal(2, elements.Count(e => e!["type"]!.GetValue<string>() == "static_select"));
        Assert.Contains(elements, e => e!["type"]!.GetValue<string>() == "button" && e["text"]!["text"]!.GetValue<string>() == "Skip");
        Assert.All(elements, e => Assert.StartsWith("checkin.", e!["action_id"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.NotNull(posted["adaptiveCard"]);
    }

    [Fact]
    public async Task Previewing_an_unknown_set_or_version_is_404()
    {
        await (await app.AdminAsync(HttpMethod.Get, $"{Sets}/no-such-set/preview")).ProblemAsync(HttpStatusCode.NotFound);
        await (await app.AdminAsync(HttpMethod.Get, $"{Sets}/it-hardware/preview?version=99")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
