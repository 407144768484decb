using System.ComponentModel.DataAnnotations;

namespace ProcurementBot.Escalations;

public sealed class EscalationOptions
{
    public const string Section = "Escalations";

    /// <summary>An escalation nobody acknowledged within this time gets a reminder in its thread.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan AcknowledgeWithin { get; set; } = TimeSpan.FromHours(4);

    /// <summary>An escalation not resolved within this time is marked overdue on its card.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan ResolveWithin { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How often each instance looks for escalations to post, remind about or mark overdue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Turns the background worker off (tests drive it by hand).</summary>
    public bool WorkerEnabled { get; set; } = true;
}
