using System.Security.Cryptography;
using System.Text;

namespace ProcurementBot.Http;

/// <summary>
/// Requires an <c>X-Api-Key</c> header matching one of the keys configured at <c>{section}:ApiKeys</c>.
/// Keys are compared as SHA-256 digests in constant time.
/// </summary>
internal sealed class ApiKeyFilter(string section) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var configured = http.RequestServices.GetRequiredService<IConfiguration>().GetSection($"{section}:ApiKeys").Get<string[]>() ?? [];
        var presented = http.Request.Headers[Header].ToString();
        if (presented.Length == 0 || !Matches(presented, configured))
        {
            http.RequestServices.GetRequiredService<ILogger<ApiKeyFilter>>()
                .LogWarning("Refused {Method} {Path}: {Reason}", http.Request.Method, RequestLog.RouteOf(http), presented.Length == 0 ? "no API key" : "wrong API key");
            http.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
            return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "API key required",
                detail: configured.Length == 0
                    ? $"No keys are configured for this endpoint. Set {section}:ApiKeys and send one in the {Header} header."
                    : $"Send a valid key in the {Header} header.");
        }

        return await next(context);
    }

    private static bool Matches(string presented, string[] configured)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var key in configured)
        {
            if (!string.IsNullOrEmpty(key))
            {
                match |= CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            }
        }

        return match;
    }
}
