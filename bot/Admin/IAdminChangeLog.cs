namespace ProcurementBot.Admin;

/// <summary>Where admin changes made over HTTP are recorded (who, what): the admin audit log.</summary>
public interface IAdminChangeLog
{
    Task RecordAsync(HttpContext http, string action, string target, string? details, CancellationToken cancellationToken);
}
