namespace ProcurementBot.Admin;

/// <summary>Where admin changes are recorded (who, what); the admin audit log implements it.</summary>
public interface IAdminChangeLog
{
    Task RecordAsync(HttpContext http, string action, string target, string? details, CancellationToken cancellationToken);
}

/// <summary>Records nothing, until the audit log is wired in.</summary>
internal sealed class NoAdminChangeLog : IAdminChangeLog
{
    public Task RecordAsync(HttpContext http, string action, string target, string? details, CancellationToken cancellationToken) => Task.CompletedTask;
}
