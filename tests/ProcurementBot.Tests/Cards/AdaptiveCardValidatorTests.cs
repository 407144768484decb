using Xunit.Sdk;

namespace ProcurementBot.Tests.Cards;

/// <summary>The card validator is only worth trusting if it can fail: known-bad cards must be reported.</summary>
public sealed class AdaptiveCardValidatorTests
{
    private static JsonObject Card(string version = "1.5", params JsonNode[] body) => new()
    {
        ["type"] = "AdaptiveCard",
        ["version"] = version,
        ["body"] = new JsonArray(body.Length == 0 ? [Text("Hello 👋")] : body),
        ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.Submit", ["title"] = "Send", ["data"] = new JsonObject { ["action"] = "x" } }),
    };

    private static JsonObject Text(string text) => new() { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };

    private static async Task<CardValidation> ValidateOne(JsonObject card)
    {
        var report = await AdaptiveCardValidator.ValidateAsync(card);
        return Assert.Single(report.Cards);
    }

    [Fact]
    public async Task A_well_formed_1_5_card_with_inputs_passes()
    {
        var card = Card("1.5",
            Text("How did it go?"),
            new JsonObject
            {
                ["type"] = "Input.ChoiceSet",
                ["id"] = "q_overall",
                ["label"] = "1. Rating",
                ["style"] = "expanded",
                ["isRequired"] = true,
                ["errorMessage"] = "Please answer.",
                ["choices"] = new JsonArray(new JsonObject { ["title"] = "Good", ["value"] = "4" }),
            },
            new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(new JsonObject { ["title"] = "Order", ["value"] = "PO-1" }) });
        card["msteams"] = new JsonObject { ["width"] = "Full" };

        await AdaptiveCardValidator.AssertValidAsync(card);
        var result = await ValidateOne(card);
        Assert.True(result.Valid);
        Assert.Equal("1.5", result.Version);
        Assert.Equal(["Action.Submit"], result.ActionTypes);
    }

    [Fact]
    public async Task An_unknown_element_type_is_reported()
    {
        var result = await ValidateOne(Card("1.5", new JsonObject { ["type"] = "Carousel2000", ["text"] = "x" }));

        Assert.False(result.Valid);
        Assert.Contains(result.Errors, e => e.StartsWith("UnknownElementType", StringComparison.Ordinal) && e.Contains("Carousel2000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_action_type_is_reported()
    {
        var card = Card();
        card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.Teleport", ["title"] = "Go" });

        var result = await ValidateOne(card);

        Assert.Contains(result.Errors, e => e.StartsWith("UnknownActionType", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_required_properties_are_reported()
    {
        var result = await ValidateOne(Card("1.5",
            new JsonObject { ["type"] = "TextBlock" },
            new JsonObject { ["type"] = "Input.ChoiceSet", ["id"] = "c", ["label"] = "Pick", ["choices"] = new JsonArray() },
            new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(new JsonObject { ["title"] = "Order" }) }));

        Assert.False(result.Valid);
        Assert.Contains("MissingProperty: TextBlock requires \"text\"", result.Errors);
        Assert.Contains("MissingProperty: FactSet.facts[0] requires \"value\"", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith("CollectionCantBeEmpty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_misspelt_property_that_Teams_would_silently_drop_is_reported()
    {
        var result = await ValidateOne(Card("1.5",
            new JsonObject { ["type"] = "Input.Text", ["id"] = "t", ["label"] = "Comment", ["isMultiLine"] = true }));

        Assert.Contains("UnknownProperty: Input.Text has no property \"isMultiLine\"", result.Errors);
    }

    [Fact]
    public async Task Duplicate_input_ids_and_required_inputs_without_label_are_reported()
    {
        var result = await ValidateOne(Card("1.5",
            new JsonObject { ["type"] = "Input.Text", ["id"] = "same", ["label"] = "A" },
            new JsonObject { ["type"] = "Input.Text", ["id"] = "same", ["isRequired"] = true }));

        Assert.Contains(result.Errors, e => e.StartsWith("DuplicateId", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("RequiredInputsShouldHaveLabel", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1.6")]
    [InlineData("2.0")]
    [InlineData("")]
    [InlineData("latest")]
    public async Task A_version_Teams_does_not_render_is_reported(string version)
    {
        var result = await ValidateOne(Card(version));

        Assert.False(result.Valid);
        Assert.Contains(result.Errors, e => e.Contains("Version", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_card_without_type_or_version_is_reported()
    {
        var card = Card();
        card.Remove("type");
        card.Remove("version");

        var result = await ValidateOne(card);

        Assert.Contains(result.Errors, e => e.StartsWith("MissingCardType", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("InvalidVersion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_card_of_28_KB_or_more_is_reported()
    {
        var result = await ValidateOne(Card("1.5", Text(new string('x', 28 * 1024))));

        Assert.False(result.Valid);
        Assert.True(result.SizeBytes >= 28 * 1024);
        Assert.Contains(result.Errors, e => e.StartsWith("TooLarge", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Results_are_per_card_and_the_assertion_names_the_bad_card()
    {
        var good = Card();
        var bad = Card("1.5", new JsonObject { ["type"] = "NoSuchElement" });

        var report = await AdaptiveCardValidator.ValidateAsync(good, bad, good);

        Assert.False(report.Valid);
        Assert.Equal([true, false, true], report.Cards.Select(c => c.Valid));
        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => AdaptiveCardValidator.AssertValidAsync(good, bad));
        Assert.Contains("card 1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("NoSuchElement", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("card 0", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serialisable_objects_are_sent_as_the_bot_sends_them()
    {
        var card = new ProcurementBot.BotFramework.Cards.AdaptiveCard
        {
            Body = [new ProcurementBot.BotFramework.Cards.TextBlock("Typed card")],
        };

        var json = AdaptiveCardValidator.ToJson(card);

        Assert.Equal("AdaptiveCard", json["type"]!.GetValue<string>());
        Assert.Equal("TextBlock", json["body"]![0]!["type"]!.GetValue<string>());
        Assert.Null(json["actions"]);
        await AdaptiveCardValidator.AssertValidAsync(card);
    }
}
