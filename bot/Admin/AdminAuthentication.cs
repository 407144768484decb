using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using ProcurementBot.Http;

namespace ProcurementBot.Admin;

/// <summary>
/// The admin route group's gate: an <c>X-Api-Key</c> from <c>Admin:ApiKeys</c> (checked by <see cref="ApiKeyFilter"/>),
/// or, when Entra ID is configured, a bearer token validated by JwtBearer that carries the required role or group.
/// </summary>
internal sealed class AdminAuthentication(IOptions<AdminOptions> options, ILogger<AdminAuthentication> logger) : IEndpointFilter
{
    public const string Scheme = "AdminEntra";

    private readonly ApiKeyFilter _apiKeys = new(AdminOptions.Section);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var entra = options.Value.Entra;
        var bearer = http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        if (!entra.Enabled || !bearer || http.Request.Headers.ContainsKey(ApiKeyFilter.Header))
        {
            return await _apiKeys.InvokeAsync(context, next);
        }

        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded)
        {
            logger.LogWarning("Refused {Method} {Path}: bearer token not valid ({Reason})", http.Request.Method, RequestLog.RouteOf(http), result.Failure?.Message ?? "no token");
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Valid bearer token required",
                detail: $"Send an Entra ID access token for {entra.Audience}, or a valid key in the {ApiKeyFilter.Header} header.");
        }

        var principal = result.Principal;
        if (!HasAccess(principal, entra))
        {
            logger.LogWarning("Refused {Method} {Path}: token of {ObjectId} lacks the admin role or group", http.Request.Method, RequestLog.RouteOf(http), principal.FindFirst("oid")?.Value);
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not an admin",
                detail: Requirement(entra));
        }

        http.User = principal;
        return await next(context);
    }

    private static bool HasAccess(ClaimsPrincipal principal, AdminEntraOptions entra) =>
        (entra.RequiredRole.Length > 0 && principal.HasClaim("roles", entra.RequiredRole))
        || (entra.RequiredGroup.Length > 0 && principal.HasClaim(c => c.Type == "groups" && string.Equals(c.Value, entra.RequiredGroup, StringComparison.OrdinalIgnoreCase)));

    private static string Requirement(AdminEntraOptions entra) => (entra.RequiredRole.Length > 0, entra.RequiredGroup.Length > 0) switch
    {
        (true, true) => $"The token must carry the app role '{entra.RequiredRole}' or membership of group {entra.RequiredGroup}.",
        (true, false) => $"The token must carry the app role '{entra.RequiredRole}'.",
        _ => $"The token must carry membership of group {entra.RequiredGroup}.",
    };

    /// <summary>The JwtBearer scheme, configured from <c>Admin:Entra</c>. It never runs by default, only through this filter.</summary>
    public static void AddScheme(IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer(Scheme);
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<AdminOptions>>((jwt, admin) =>
        {
            var entra = admin.Value.Entra;
            jwt.Authority = entra.Authority.Length > 0 ? entra.Authority : null;
            jwt.Audience = entra.Audience;
            if (entra.MetadataAddress.Length > 0)
            {
                jwt.MetadataAddress = entra.MetadataAddress;
            }

            // Entra's claim names as issued (oid, roles, groups, name), not mapped to WS-* URIs.
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters.NameClaimType = "name";
            jwt.TokenValidationParameters.RoleClaimType = "roles";
            jwt.TokenValidationParameters.ValidAudiences = [entra.Audience];
        });
    }
}
