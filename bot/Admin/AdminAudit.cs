using ProcurementBot.Storage;

namespace ProcurementBot.Admin;

/// <summary>Records admin changes: who, when, what. Read back through <c>GET /api/admin/audit</c>.</summary>
public sealed class AdminAudit(IProcurementStore store, TimeProvider clock)
{
    public Task RecordAsync(AdminActor actor, string action, string target, string? details, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow().ToUniversalTime();
        return store.AddAuditEntryAsync(new AuditEntry(Guid.NewGuid().ToString("N"), at, actor.Id, actor.Name, action, target, details), cancellationToken);
    }
}
