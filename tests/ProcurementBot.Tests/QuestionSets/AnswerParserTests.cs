using ProcurementBot.QuestionSets;

namespace ProcurementBot.Tests.QuestionSets;

/// <summary>What people type or pick, and what the bot stores for it: canonical text and number, or null to re-prompt.</summary>
public sealed class AnswerParserTests
{
    private static readonly string[] Choices = ["Yes, right away", "After some setup", "No, it needed IT support"];

    public static TheoryData<string, int?> Ratings => new()
    {
        // typed → stored number (null: not an answer, re-prompt)
        { "4", 4 },
        { "1", 1 },
        { "5", 5 },
        { "four", 4 },
        { "Four", 4 },
        { "4/5", 4 },
        { "4 / 5", 4 },
        { "4 out of 5", 4 },
        { "★★★★", 4 },
        { "⭐⭐⭐⭐", 4 },
        { "⭐️⭐️", 2 },
        { "*****", 5 },
        { "4 stars", 4 },
        { "1 star", 1 },
        { "a 4", 4 },
        { " 4. ", 4 },
        { "4!", 4 },
        { "6", null },
        { "0", null },
        { "zero", null },
        { "★★★★★★", null },
        { "4/10", null },
        { "45", null },
        { "-3", null },
        { "4.5", null },
        { "banana", null },
        { "great", null },
        { "", null },
        { "   ", null },
    };

    [Theory]
    [MemberData(nameof(Ratings))]
    public void A_rating_is_a_whole_number_from_1_to_5_however_it_is_typed(string typed, int? expected)
        => AssertScale(QuestionType.Rating, typed, expected);

    public static TheoryData<string, int?> NpsScores => new()
    {
        { "10", 10 },
        { "ten", 10 },
        { "0", 0 },
        { "zero", 0 },
        { "7", 7 },
        { "10/10", 10 },
        { "9 out of 10", 9 },
        { "8 points", 8 },
        { "11", null },
        { "eleven", null },
        { "7/5", null },
        { "-1", null },
        { "very likely", null },
    };

    [Theory]
    [MemberData(nameof(NpsScores))]
    public void An_NPS_score_is_a_whole_number_from_0_to_10(string typed, int? expected)
        => AssertScale(QuestionType.Nps, typed, expected);

    public static TheoryData<string, string?> YesNoReplies => new()
    {
        { "yes", "yes" },
        { "y", "yes" },
        { "yep", "yes" },
        { "Yes!", "yes" },
        { "YES", "yes" },
        { "yeah it did", "yes" },
        { "👍", "yes" },
        { "no", "no" },
        { "n", "no" },
        { "nope", "no" },
        { "No.", "no" },
        { "late again", "no" },
        { "it was delayed by a week", "no" },
        { "never arrived", "no" },
        { "nope, two weeks late", "no" },
        { "banana", null },
        { "maybe", null },
        { "", null },
    };

    [Theory]
    [MemberData(nameof(YesNoReplies))]
    public void A_yes_no_answer_is_stored_as_yes_or_no_and_complaints_count_as_no(string typed, string? expected)
        => AssertText(QuestionType.YesNo, typed, expected);

    public static TheoryData<string, string?> ChoiceReplies => new()
    {
        { "2", "After some setup" },
        { "1", "Yes, right away" },
        { "3", "No, it needed IT support" },
        { "After some setup", "After some setup" },
        { "after some setup", "After some setup" },
        { "AFTER SOME SETUP", "After some setup" },
        { "  After  some setup ", "After some setup" },
        { "after", "After some setup" },
        { "4", null },
        { "0", null },
        { "Something else", null },
        { "", null },
    };

    [Theory]
    [MemberData(nameof(ChoiceReplies))]
    public void A_choice_is_picked_by_number_or_by_its_text_and_stored_as_written_in_the_set(string typed, string? expected)
        => AssertText(QuestionType.Choice, typed, expected);

    public static TheoryData<string?, string?> FreeText => new()
    {
        { "The box was crushed.", "The box was crushed." },
        { "  Charger missing!!  ", "Charger missing!!" },
        { "Two  spaces, kept", "Two  spaces, kept" },
        { "line one\nline two", "line one\nline two" },
        { "4", "4" },
        { "", null },
        { "   ", null },
        { null, null },
    };

    [Theory]
    [MemberData(nameof(FreeText))]
    public void Free_text_is_kept_verbatim_only_trimmed(string? typed, string? expected)
        => AssertText(QuestionType.Text, typed, expected);

    /// <summary>Scales store the number, and its digits as the text.</summary>
    private static void AssertScale(QuestionType type, string typed, int? expected)
    {
        var parsed = AnswerParser.Parse(Ask(type), typed);

        Assert.Equal(expected, parsed?.Number);
        Assert.Equal(expected?.ToString(System.Globalization.CultureInfo.InvariantCulture), parsed?.Text);
    }

    private static void AssertText(QuestionType type, string? typed, string? expected)
    {
        var parsed = AnswerParser.Parse(Ask(type), typed);

        Assert.Equal(expected, parsed?.Text);
        Assert.Null(parsed?.Number);
    }

    private static Question Ask(QuestionType type) => new()
    {
        Id = "q",
        Type = type,
        Text = "?",
        Choices = type == QuestionType.Choice ? Choices : [],
    };
}
