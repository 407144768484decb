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
