using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ProcurementBot.Tests.TryIt;

/// <summary>
/// The try-it page in a real browser: one person as the employee and as the buyer, clicking the cards Web Chat
/// renders, from a simulated delivery to the employee hearing that procurement resolved their complaint.
/// </summary>
[Collection(BrowserTests.Collection)]
public sealed class TryItPageTests(TryItApp app) : IClassFixture<TryItApp>
{
    private static readonly float Wait = 20_000;

    [Fact]
    public async Task A_complaint_goes_from_the_employee_pane_to_the_buyer_and_back_as_resolved()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Ready", new() { Timeout = Wait });
        // The transcripts as shown (Web Chat also keeps a hidden copy for screen readers).
        var employee = page.Locator("#employee-chat [role=feed]");
        var procurement = page.Locator("#procurement-chat [role=feed]");
        await Assertions.Expect(employee).ToContainTextAsync("After something you ordered is delivered", new() { Timeout = Wait });
        await ShotAsync(page, "01-ready");

        // Typed and sent with the keyboard alone.
        var sendBox = page.Locator("#employee-chat").GetByRole(AriaRole.Textbox, new() { Name = "Message input box" });
        await sendBox.FillAsync("status");
        await sendBox.PressAsync("Enter");
        await Assertions.Expect(employee).ToContainTextAsync("no open check-ins", new() { Timeout = Wait, IgnoreCase = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Simulate a delivered purchase" }).ClickAsync();
        await Assertions.Expect(employee.GetByRole(AriaRole.Button, new() { Name = "Send answers" })).ToBeVisibleAsync(new() { Timeout = Wait });
        await ShotAsync(page, "02-check-in");

        // The card's radio buttons, by question id and value: 1 star, and "no" to on time.
        await employee.Locator("input[type=radio][name=q_overall][value='1']").CheckAsync();
        await employee.Locator("input[type=radio][name=q_onTime][value=no]").CheckAsync();
        await employee.GetByRole(AriaRole.Button, new() { Name = "Send answers" }).ClickAsync();
        // The rating calls for a follow-up: the first card turns into a summary and a new card asks it.
        var whatWentWrong = employee.GetByRole(AriaRole.Textbox);
        await Assertions.Expect(whatWentWrong).ToBeVisibleAsync(new() { Timeout = Wait });
        await Assertions.Expect(employee).ToContainTextAsync("What went wrong");
        await ShotAsync(page, "03-what-went-wrong");
        await whatWentWrong.FillAsync("The armrest broke on day one.");
        await employee.GetByRole(AriaRole.Button, new() { Name = "Send answers" }).ClickAsync();
        await Assertions.Expect(employee.GetByRole(AriaRole.Button, new() { Name = "Send answers" })).ToHaveCountAsync(0, new() { Timeout = Wait });

        var acknowledge = procurement.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" });
        await Assertions.Expect(acknowledge).ToBeVisibleAsync(new() { Timeout = Wait });
        await Assertions.Expect(procurement).ToContainTextAsync("The armrest broke on day one.");
        await ShotAsync(page, "04-escalation");

        await acknowledge.ClickAsync();
        await Assertions.Expect(acknowledge).ToHaveCountAsync(0, new() { Timeout = Wait });
        await Assertions.Expect(procurement).ToContainTextAsync("acknowledged", new() { Timeout = Wait, IgnoreCase = true });
        await ShotAsync(page, "05-acknowledged");

        await procurement.GetByLabel("Resolution note (the requester will see it)").FillAsync("Replacement chair ships tomorrow.");
        await procurement.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Assertions.Expect(procurement.GetByRole(AriaRole.Button, new() { Name = "Reopen" })).ToBeVisibleAsync(new() { Timeout = Wait });
        await ShotAsync(page, "06-resolved");

        var told = employee.Locator("p").Filter(new() { HasText = "procurement looked into it" });
        await Assertions.Expect(told).ToContainTextAsync("Replacement chair ships tomorrow.", new() { Timeout = Wait });
        await told.ScrollIntoViewIfNeededAsync();
        await ShotAsync(page, "07-employee-hears-back");

        Assert.True(errors.Count == 0, "The page logged errors:\n" + string.Join("\n", errors));
    }

    [Fact]
    public async Task The_page_has_labels_and_no_serious_accessibility_violations()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Ready", new() { Timeout = Wait });
        // The page's own control works from the keyboard.
        await page.GetByRole(AriaRole.Button, new() { Name = "Simulate a delivered purchase" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#employee-chat [role=feed]").GetByRole(AriaRole.Button, new() { Name = "Send answers" })).ToBeVisibleAsync(new() { Timeout = Wait });

        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);

        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}")));
    }

    [Fact]
    public async Task Direct_Line_serves_a_conversation_only_to_its_own_token()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        using var session = await http.PostAsync("/try-it/session", new StringContent("{}", null, "application/json"));
        var panes = System.Text.Json.JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement;
        var employeeToken = panes.GetProperty("employee").GetProperty("token").GetString();
        var buyerToken = panes.GetProperty("procurement").GetProperty("token").GetString();

        using var start = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        start.Headers.Authorization = new("Bearer", buyerToken);
        var buyerConversation = System.Text.Json.JsonDocument.Parse(await (await http.SendAsync(start)).Content.ReadAsStringAsync())
            .RootElement.GetProperty("conversationId").GetString();

        using var peek = new HttpRequestMessage(HttpMethod.Get, $"/v3/directline/conversations/{buyerConversation}/activities?watermark=0");
        peek.Headers.Authorization = new("Bearer", employeeToken);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await http.SendAsync(peek)).StatusCode);

        using var anonymous = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await http.SendAsync(anonymous)).StatusCode);

        // The simulated delivery takes the employee pane's token only.
        using var purchase = new HttpRequestMessage(HttpMethod.Post, "/try-it/purchases") { Content = new StringContent("{}", null, "application/json") };
        purchase.Headers.Authorization = new("Bearer", buyerToken);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await http.SendAsync(purchase)).StatusCode);
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(TryItApp.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TryItApp.ScreenshotDirectory, $"{name}.png"), FullPage = true });
    }
}

/// <summary>
/// A browser and a bot on the real clock load the machine: they run alone, after the rest, so neither they nor
/// the timing-sensitive tests elsewhere wait on each other.
/// </summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class BrowserTests
{
    public const string Collection = "Browser";
}
