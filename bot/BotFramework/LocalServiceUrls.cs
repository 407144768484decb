using ProcurementBot.Http;
using ProcurementBot.TryIt;

namespace ProcurementBot.BotFramework;

/// <summary>
/// The service URLs local mode (no <c>MicrosoftAppId</c>) may call: the Emulator's and test stand-ins' loopback
/// connectors and the try-it page's in-process one. Unauthenticated activities name their own service URL, so
/// without this limit anyone who can post one makes the bot call any address they like.
/// </summary>
internal static class LocalServiceUrls
{
    public static bool IsAllowed(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return false;
        }

        return DirectLocalRequest.IsLoopbackHost(url.Host)
            || (url.Scheme == "https" && url.IsDefaultPort && url.Host.Equals(new Uri(DirectLineConversations.ServiceUrl).Host, StringComparison.OrdinalIgnoreCase));
    }

    public const string Requirement =
        "In local mode (MicrosoftAppId empty) the serviceUrl must be on this machine (http(s)://localhost, 127.x.x.x or [::1], any port) "
        + "or the try-it page's connector; set MicrosoftAppId to hear from Teams.";
}
