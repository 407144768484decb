using Microsoft.Identity.Client;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>MSAL's HTTP goes through IHttpClientFactory: pooled handlers, and one place to configure it.</summary>
internal sealed class MsalHttpClientFactory(IHttpClientFactory httpClients) : IMsalHttpClientFactory
{
    public HttpClient GetHttpClient() => httpClients.CreateClient(BotAuthenticationExtensions.HttpClientName);
}
