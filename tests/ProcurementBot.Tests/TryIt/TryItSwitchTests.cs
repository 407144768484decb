using Microsoft.Extensions.Hosting;
using ProcurementBot.TryIt;

namespace ProcurementBot.Tests.TryIt;

/// <summary>Without TryIt:Enabled (the default outside Development) nothing of the page or its Direct Line exists.</summary>
public sealed class TryItSwitchTests(BotApp app) : IClassFixture<BotApp>
{
    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/try-it/webchat.js")]
    [InlineData("POST", "/try-it/session")]
    [InlineData("POST", "/try-it/purchases")]
    [InlineData("POST", "/v3/directline/conversations")]
    [InlineData("GET", "/v3/directline/conversations/abc/activities?watermark=0")]
    public async Task Nothing_of_try_it_answers_when_it_is_off(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}", null, "application/json") : null };
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Development", null, true)]
    [InlineData("Production", null, false)]
    [InlineData("Testing", null, false)]
    [InlineData("Development", "false", false)]
    [InlineData("Production", "true", true)]
    public void It_is_on_by_default_in_Development_only(string environment, string? setting, bool expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("TryIt:Enabled", setting)]).Build();
        Assert.Equal(expected, TryItOptions.IsEnabled(configuration, new Environment(environment)));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "ProcurementBot";
        public string ContentRootPath { get; set; } = "";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
