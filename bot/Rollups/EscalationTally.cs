using System.Text.Json.Serialization;

// Not "Results": a ProcurementBot.Results namespace would hide ASP.NET Core's static Results class
// (Results.Ok, Results.Problem) from every endpoint under ProcurementBot.*.
namespace ProcurementBot.Rollups;

/// <summary>Where an escalation stands, as the results count it: resolved, or open and past its deadline, or open.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EscalationTally>))]
public enum EscalationTally
{
    Open,
    Overdue,
    Resolved,
}
