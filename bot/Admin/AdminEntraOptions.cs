namespace ProcurementBot.Admin;

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
