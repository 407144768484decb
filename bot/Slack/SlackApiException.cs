using System.Net;

namespace ProcurementBot.Slack;

/// <summary>A Web API call Slack answered with <c>ok: false</c> (or an HTTP error): <see cref="Error"/> is Slack's code, e.g. <c>channel_not_found</c>.</summary>
public sealed class SlackApiException(string method, string error, HttpStatusCode status = HttpStatusCode.OK)
    : Exception($"Slack {method} failed: {error}")
{
    public string Method { get; } = method;
    public string Error { get; } = error;
    public HttpStatusCode Status { get; } = status;
}
