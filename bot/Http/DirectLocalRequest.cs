using System.Net;

namespace ProcurementBot.Http;

/// <summary>
/// A request made on this machine straight to the bot: from a loopback address, to a loopback <c>Host</c>, and
/// through no proxy or tunnel. What development keys, the try-it page and local mode's <c>/api/messages</c> are
/// for. A dev tunnel or reverse proxy connects from loopback too, so the remote address alone proves nothing: its
/// forwarding headers and the public <c>Host</c> it passes on give it away. A loopback <c>Host</c> also defeats
/// DNS rebinding, where a browser sends the attacker's own name.
/// </summary>
internal static class DirectLocalRequest
{
    // Headers a proxy or tunnel adds (ngrok, dev tunnels, nginx, Azure Front Door, Cloudflare...). A client on this
    // machine talking to the bot itself has no reason to send any of them.
    private static readonly string[] ForwardingPrefixes = ["X-Forwarded-", "X-Original-", "X-Tunnel-", "X-Ms-Forwarded-"];

    private static readonly HashSet<string> ForwardingHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Forwarded", "Via", "X-Real-IP", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP", "X-Azure-ClientIP", "X-Azure-FDID", "X-Arr-Log-Id",
    };

    public static bool Is(HttpContext context) => WhyNot(context) is null;

    /// <summary>Null for a direct local request; otherwise what gave it away, for the log (names only, never values).</summary>
    public static string? WhyNot(HttpContext context)
    {
        // An in-memory test server or a Unix socket has no remote IP address; both are on this machine.
        if (context.Connection.RemoteIpAddress is { } remote && !IsLoopback(remote))
        {
            return "the remote address is not loopback";
        }

        if (!IsLoopbackHost(context.Request.Host.Host))
        {
            return "the Host header is not a loopback name";
        }

        foreach (var header in context.Request.Headers.Keys)
        {
            if (ForwardingHeaders.Contains(header) || ForwardingPrefixes.Any(p => header.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                return $"it carries the forwarding header {header}";
            }
        }

        return null;
    }

    /// <summary><c>localhost</c>, 127.0.0.0/8 or ::1 (brackets allowed, as a <c>Host</c> header writes IPv6).</summary>
    public static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address) && IsLoopback(address);
    }

    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
