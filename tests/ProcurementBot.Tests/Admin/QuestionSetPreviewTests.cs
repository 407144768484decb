using System.Net;
using System.Text.Json.Nodes;
using ProcurementBot.Tests.Support;

namespace ProcurementBot.Tests.Admin;

/// <summary>Previews: the card employees would see, from a set in the body or a stored one, valid for the official renderer.</summary>
public sealed class QuestionSetPreviewTests(QuestionSetBotApp app) : IClassFixture<QuestionSetBotApp>
{
    private const string Sets = "/api/admin/question-sets";

    [Fact]
    public async Task A_stored_set_previews_as_the_first_check_in_card_with_a_sample_purchase()
    {
        var response = await app.AdminAsync(HttpMethod.Get, $"{Sets}/it-hardware/preview");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.microsoft.card.adaptive", response.Content.Headers.ContentType?.MediaType);
        var card = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        await AdaptiveCardValidator.AssertValidAsync(card);
        var text = card.ToJsonString();
        Assert.Contains("How happy are you with Latitude 7450 laptop from Contoso Supplies?", text);
        Assert.Contains("Did it work out of the box?", text);
        Assert.DoesNotContain("What went wrong?", text); // a follow-up comes on a later card
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
        var card = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        await AdaptiveCardValidator.AssertValidAsync(card);
        Assert.Contains("Would you recommend Contoso Supplies?", card.ToJsonString());
        await invalid.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await app.Store.GetQuestionSetVersionsAsync("preview-only", default));
    }

    [Fact]
    public async Task Previewing_an_unknown_set_or_version_is_404()
    {
        await (await app.AdminAsync(HttpMethod.Get, $"{Sets}/no-such-set/preview")).ProblemAsync(HttpStatusCode.NotFound);
        await (await app.AdminAsync(HttpMethod.Get, $"{Sets}/it-hardware/preview?version=99")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
