using Microsoft.Extensions.Options;

namespace ProcurementBot.Admin;

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
