using System.Text.Json.Serialization;

namespace ProcurementBot.Escalations;

[JsonConverter(typeof(JsonStringEnumConverter<EscalationStatus>))]
public enum EscalationStatus
{
    /// <summary>Raised; nobody has acknowledged it yet.</summary>
    Open,
    Acknowledged,
    Resolved,
}
