using System.Net;

namespace ProcurementBot.BotFramework.Pacing;

/// <summary>
/// Waits for the pacer's turn before each Bot Connector call, inside the retry handler so every retry is paced
/// too. A 429 holds back the call's conversation (or, for a call outside any conversation, the app) for its
/// <c>Retry-After</c>, so the other callers waiting for it do not run into the same limit meanwhile.
/// </summary>
/// <remarks>
/// Teams counts the app limit per app per tenant. The tenant is not in the URL and reading it from every body
/// costs more than it saves, so the whole app is paced as one tenant: exact for a single-tenant bot (the
/// registration this project documents), stricter than needed for a multi-tenant one. Member lookups share
/// the conversation's send windows, though Teams allows them twice as many.
/// </remarks>
internal sealed class ConnectorPacingHandler(ConnectorPacer pacer, TimeProvider clock) : DelegatingHandler
{
    private static readonly TimeSpan HoldWithoutRetryAfter = TimeSpan.FromSeconds(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var conversation = ConversationOf(request.RequestUri);
        await pacer.WaitTurnAsync(conversation, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            pacer.HoldBack(conversation, ConnectorRetryHandler.RetryAfter(response, clock) ?? HoldWithoutRetryAfter);
        }

        return response;
    }

    /// <summary>The conversation of <c>…/v3/conversations/{id}/…</c> (host and escaped id); null for other paths.</summary>
    internal static string? ConversationOf(Uri? uri)
    {
        if (uri is null)
        {
            return null;
        }

        var path = uri.AbsolutePath;
        const string marker = "/v3/conversations/";
        var at = path.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var start = at + marker.Length;
        var end = path.IndexOf('/', start);
        var id = end < 0 ? path[start..] : path[start..end];
        return id.Length == 0 ? null : $"{uri.Host}/{id}";
    }
}
