using Microsoft.Extensions.Options;

namespace ProcurementBot.Admin;

/// <summary>Who may call <c>/api/admin</c>: API keys, and for real deployments Entra ID bearer tokens.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Keys accepted in the <c>X-Api-Key</c> header.</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>Keys published with the repository (appsettings.Development.json): accepted only in direct requests from this machine.</summary>
    public string[] DevelopmentApiKeys { get; set; } = [];

    public AdminEntraOptions Entra { get; set; } = new();
}

/// <summary>Entra ID bearer tokens for the admin API; off while <see cref="Authority"/> is empty.</summary>
public sealed class AdminEntraOptions
{
    /// <summary>The tenant's authority, e.g. <c>https://login.microsoftonline.com/{tenant id}/v2.0</c>.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The admin API's app id URI or client id, as tokens carry it in <c>aud</c>.</summary>
    public string Audience { get; set; } = "";

    /// <summary>OpenID metadata; empty means <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string MetadataAddress { get; set; } = "";

    /// <summary>An app role the token must carry in <c>roles</c>.</summary>
    public string RequiredRole { get; set; } = "";

    /// <summary>A group object id the token must carry in <c>groups</c>.</summary>
    public string RequiredGroup { get; set; } = "";

    public bool Enabled => Authority.Length > 0 || Audience.Length > 0;
}

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new List<string>();
        if (options.ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Admin:ApiKeys holds an empty key; remove it or set a long random value.");
        }

        if (options.DevelopmentApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Admin:DevelopmentApiKeys holds an empty key; remove it.");
        }

        var entra = options.Entra;
        if (entra.Enabled)
        {
            if (!IsHttps(entra.Authority))
            {
                errors.Add($"Admin:Entra:Authority '{entra.Authority}' must be an https URL, e.g. https://login.microsoftonline.com/<tenant id>/v2.0.");
            }

            if (string.IsNullOrWhiteSpace(entra.Audience))
            {
                errors.Add("Admin:Entra:Audience is required with Admin:Entra:Authority: the admin API's app id URI or client id.");
            }

            if (entra.MetadataAddress.Length > 0 && !IsHttps(entra.MetadataAddress))
            {
                errors.Add($"Admin:Entra:MetadataAddress '{entra.MetadataAddress}' must be an https URL.");
            }

            if (string.IsNullOrWhiteSpace(entra.RequiredRole) && string.IsNullOrWhiteSpace(entra.RequiredGroup))
            {
                errors.Add("Set Admin:Entra:RequiredRole or Admin:Entra:RequiredGroup: without one, every account of the tenant could administer the bot.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttps(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
}
