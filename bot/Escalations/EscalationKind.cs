using System.Text.Json.Serialization;

namespace ProcurementBot.Escalations;

[JsonConverter(typeof(JsonStringEnumConverter<EscalationKind>))]
public enum EscalationKind
{
    /// <summary>One check-in's answers matched a rule.</summary>
    CheckIn,

    /// <summary>A supplier collected too many low ratings within a window.</summary>
    SupplierTrend,
}
