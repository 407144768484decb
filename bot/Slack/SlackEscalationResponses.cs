using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ProcurementBot.Slack;

/// <summary>
/// Tells the one person who clicked something only they need to know (someone was faster, they may not act), through
/// the interaction's <c>response_url</c> as an ephemeral message: it reaches them even when they are not in the channel.
/// </summary>
internal sealed class SlackEscalationResponses(IHttpClientFactory httpClients, IOptions<SlackOptions> options, ILogger<SlackEscalationResponses> logger)
{
    public async Task TellAsync(string? responseUrl, string text, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var url) || !IsSlack(url))
        {
            // Not the text itself: it names people.
            logger.LogWarning("The interaction has no Slack response_url; the clicker is not told ({Length} characters)", text.Length);
            return;
        }

        var body = new JsonObject
        {
            ["response_type"] = "ephemeral",
            ["replace_original"] = false,
            ["text"] = SlackEscalationBlocks.Escape(text, SlackEscalationBlocks.MaxText),
        };
        try
        {
            // No token: the response URL is the credential.
            using var response = await httpClients.CreateClient(SlackApiClient.HttpClientName).PostAsJsonAsync(url, body, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Slack's response_url answered {Status}", (int)response.StatusCode);
            }
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "Could not answer through the response_url");
        }
    }

    /// <summary>Slack's own hosts over HTTPS, or wherever the Web API is configured to be (a local stand-in in tests).</summary>
    private bool IsSlack(Uri url)
    {
        var api = options.Value.ApiBaseUrl;
        var slackHost = url.Scheme == Uri.UriSchemeHttps
            && (url.Host.Equals("slack.com", StringComparison.OrdinalIgnoreCase) || url.Host.EndsWith(".slack.com", StringComparison.OrdinalIgnoreCase));
        return slackHost || (url.Scheme == api.Scheme && string.Equals(url.Authority, api.Authority, StringComparison.OrdinalIgnoreCase));
    }
}
