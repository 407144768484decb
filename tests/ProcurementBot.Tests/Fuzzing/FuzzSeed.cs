using System.Globalization;

namespace ProcurementBot.Tests.Fuzzing;

/// <summary>
/// The fuzz run's seed: <c>PROCUREMENTBOT_FUZZ_SEED</c> when set (to replay a failure, whose message names the seed), else
/// a new one each run, so the suite keeps exploring. Each endpoint's generator is seeded from it and the endpoint's name.
/// </summary>
public static class FuzzSeed
{
    public const string Variable = "PROCUREMENTBOT_FUZZ_SEED";

    /// <summary>Cases per endpoint; <c>PROCUREMENTBOT_FUZZ_CASES</c> raises it for a longer local run.</summary>
    public const string CasesVariable = "PROCUREMENTBOT_FUZZ_CASES";

    public static int Value { get; } =
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();

    public static int Cases(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) && cases > 0
            ? cases
            : fallback;

    /// <summary>A generator for one endpoint: string.GetHashCode differs between runs, so the name is hashed here (FNV-1a).</summary>
    public static MalformedInputs For(string endpoint)
    {
        var hash = 2166136261u;
        foreach (var c in endpoint)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return new MalformedInputs(Value ^ (int)hash);
    }
}
