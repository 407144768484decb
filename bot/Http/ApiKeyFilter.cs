using System.Security.Cryptography;
using System.Text;

namespace ProcurementBot.Http;

/// <summary>
/// Requires an <c>X-Api-Key</c> header matching one of the keys configured at <c>{section}:ApiKeys</c>, from
/// anywhere, or at <c>{section}:DevelopmentApiKeys</c>, only in a <see cref="DirectLocalRequest"/>: those are the
/// keys published in the repository's appsettings.Development.json, so anyone knows them. Keys are compared as
/// SHA-256 digests in constant time.
/// </summary>
internal sealed class ApiKeyFilter(string section) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
        var configured = configuration.GetSection($"{section}:ApiKeys").Get<string[]>() ?? [];
        var development = configuration.GetSection($"{section}:DevelopmentApiKeys").Get<string[]>() ?? [];
        var presented = http.Request.Headers[Header].ToString();
        if (presented.Length > 0 && Matches(presented, configured))
        {
            return await next(context);
        }

        var logger = http.RequestServices.GetRequiredService<ILogger<ApiKeyFilter>>();
        if (presented.Length > 0 && Matches(presented, development))
        {
            if (DirectLocalRequest.WhyNot(http) is not { } reason)
            {
                return await next(context);
            }

            logger.LogWarning("Refused {Method} {Path}: a development key in a request not made directly on this machine ({Reason})",
                http.Request.Method, RequestLog.RouteOf(http), reason);
            return Refused(http, $"This is a development key ({section}:DevelopmentApiKeys): it is accepted only from this machine directly, "
                + $"not through a proxy or tunnel. Set a key of your own in {section}:ApiKeys (user secrets) and send that.");
        }

        logger.LogWarning("Refused {Method} {Path}: {Reason}", http.Request.Method, RequestLog.RouteOf(http), presented.Length == 0 ? "no API key" : "wrong API key");
        return Refused(http, configured.Length == 0 && development.Length == 0
            ? $"No keys are configured for this endpoint. Set {section}:ApiKeys and send one in the {Header} header."
            : $"Send a valid key in the {Header} header.");
    }

    private static IResult Refused(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required", detail: detail);
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
