using System.Text.Json.Serialization;

namespace ProcurementBot.CheckIns;

[JsonConverter(typeof(JsonStringEnumConverter<CheckInStatus>))]
public enum CheckInStatus
{
    /// <summary>Waiting for its due time.</summary>
    Scheduled,

    /// <summary>Due, but the requester has not installed the bot yet.</summary>
    AwaitingContact,

    /// <summary>Claimed by one bot instance that is sending it now (see <see cref="CheckIn.LeaseUntil"/>).</summary>
    Sending,

    /// <summary>Sent; answers are coming in.</summary>
    InProgress,
    Completed,
    Stopped,
    Expired,

    /// <summary>Could not be delivered; <see cref="CheckIn.LastError"/> says why.</summary>
    Failed,
    OptedOut,
}
