using System.Text.Json.Serialization;

// Not "Results": a ProcurementBot.Results namespace would hide ASP.NET Core's static Results class
// (Results.Ok, Results.Problem) from every endpoint under ProcurementBot.*.
namespace ProcurementBot.Rollups;

[JsonConverter(typeof(JsonStringEnumConverter<RollupDimension>))]
public enum RollupDimension
{
    Supplier,
    Category,
}
