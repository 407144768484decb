using System.Security.Cryptography;
using System.Text;
using ProcurementBot.Http;

namespace ProcurementBot.Admin;

public static class AdminActorExtensions
{
    /// <summary>
    /// The caller of an admin endpoint: <c>entra:{oid}</c> for a bearer token, <c>api-key:{6 hex}</c> (a prefix
    /// of the key's SHA-256, never the key) for an API key.
    /// </summary>
    public static AdminActor GetAdminActor(this HttpContext http)
    {
        // The admin filter sets the user only for a validated bearer token.
        if (http.User.Identity is { IsAuthenticated: true } && (http.User.FindFirst("oid") ?? http.User.FindFirst("sub"))?.Value is { Length: > 0 } oid)
        {
            var name = http.User.FindFirst("name")?.Value ?? http.User.FindFirst("preferred_username")?.Value ?? oid;
            return new AdminActor($"entra:{oid}", name);
        }

        var key = http.Request.Headers[ApiKeyFilter.Header].ToString();
        if (key.Length == 0)
        {
            throw new InvalidOperationException("GetAdminActor is for admin endpoints, which refuse callers without a key or token.");
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..6];
        return new AdminActor($"api-key:{digest}", $"API key {digest}…");
    }
}
