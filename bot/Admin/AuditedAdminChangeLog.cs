namespace ProcurementBot.Admin;

/// <summary>Records a change in the <see cref="AdminAudit"/> under the admin who made the request.</summary>
internal sealed class AuditedAdminChangeLog(AdminAudit audit) : IAdminChangeLog
{
    public Task RecordAsync(HttpContext http, string action, string target, string? details, CancellationToken cancellationToken) =>
        audit.RecordAsync(http.GetAdminActor(), action, target, details, cancellationToken);
}
