using System.Net;

namespace ProcurementBot.BotFramework;

/// <summary>Thrown when the Bot Connector answers with an error after retries.</summary>
public sealed class ConnectorException(HttpStatusCode status, string? code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The connector's error code, e.g. <c>MessageWritesBlocked</c>.</summary>
    public string? Code { get; } = code;

    /// <summary>
    /// The connector refused the request itself (a 4xx other than a timeout or a rate limit: the conversation is gone or
    /// unknown, the bot is blocked, the body is refused), so sending it again would be refused again.
    /// </summary>
    public bool IsRefusal => (int)Status is >= 400 and < 500 && Status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
}
