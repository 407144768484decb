using ProcurementBot.Admin;

namespace ProcurementBot.Tests.Admin;

/// <summary>The chat commands <c>questions</c> and <c>preview &lt;set id&gt;</c>: for admins, politely refused to others.</summary>
public sealed class QuestionSetChatCommandsTests(QuestionSetBotApp app) : IClassFixture<QuestionSetBotApp>
{
    public static TheoryData<string, string[]> AdminSays => new()
    {
        // admin says → the bot's message contains
        { "questions", ["Question sets in use:", "**general-goods** v1", "the default", "**it-hardware** v1", "laptops"] },
        { "QUESTIONS", ["**services** v1"] },
        { "preview", ["Say **preview** and a set's id"] },
        { "preview no-such-set", ["There is no question set 'no-such-set'"] },
        { "Preview it-hardware", ["**it-hardware** v1 (IT hardware) as employees see it"] },
    };

    [Theory]
    [MemberData(nameof(AdminSays))]
    public async Task An_admin_gets_the_sets_and_previews(string says, string[] expected)
    {
        var admin = await app.InstallAsync(new TeamsUser("Procurement Ops", QuestionSetBotApp.AdminEmail));
        var before = app.CallsTo(admin).Count;

        await app.SendAsync(TeamsActivities.Message(admin, app.Connector.ServiceUrl, says));

        var first = app.CallsTo(admin).Skip(before).First(c => c.Method == "POST");
        Assert.All(expected, e => Assert.Contains(e, first.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_preview_sends_the_card_employees_see()
    {
        var admin = await app.InstallAsync(new TeamsUser("Procurement Ops", QuestionSetBotApp.AdminEmail));
        var before = app.CallsTo(admin).Count;

        await app.SendAsync(TeamsActivities.Message(admin, app.Connector.ServiceUrl, "preview services"));

        var card = Assert.Single(app.CallsTo(admin).Skip(before), c => c.Card is not null);
        Assert.Contains("Contoso Supplies", card.Visible, StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync(card.Card!);
    }

    [Theory]
    [InlineData("questions")]
    [InlineData("preview it-hardware")]
    public async Task Someone_who_is_not_an_admin_is_politely_refused(string says)
    {
        var user = await app.InstallAsync();
        var before = app.CallsTo(user).Count;

        await app.SendAsync(TeamsActivities.Message(user, app.Connector.ServiceUrl, says));

        var reply = Assert.Single(app.CallsTo(user).Skip(before), c => c.Method == "POST");
        Assert.Equal(QuestionSetCommands.Refusal, reply.Text);
        Assert.Null(reply.Card);
    }
}
