using System.ComponentModel.DataAnnotations;

namespace ProcurementBot.CheckIns;

public sealed class CheckInOptions
{
    public const string Section = "CheckIns";

    /// <summary>How often each instance looks for due check-ins.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claimed check-in is reserved for the instance sending it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How many claimed check-ins one instance sends at once. The platform's rate limits are kept by the
    /// connector's pacing, not by this; it only lets sends overlap their network round trips.
    /// </summary>
    [Range(1, 256)]
    public int SendConcurrency { get; set; } = 16;

    /// <summary>After this many failed sends a check-in is set aside as failed.</summary>
    [Range(1, 100)]
    public int MaxSendAttempts { get; set; } = 5;

    /// <summary>Turns the background sender off (tests drive it by hand).</summary>
    public bool DispatcherEnabled { get; set; } = true;
}
