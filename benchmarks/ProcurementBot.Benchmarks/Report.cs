using System.Globalization;

namespace ProcurementBot.Benchmarks;

internal sealed record ScenarioResult(
    string Name, int Conversations, int Turns, double TurnsPerSecond, double P50Ms, double P90Ms, double P99Ms, double MaxMs,
    double PeakWorkingSetMb, double AllocatedKbPerTurn, double CpuMsPerTurn, long ConnectorCalls, string Check);

internal static class Report
{
    public static void Print(IReadOnlyList<ScenarioResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("| contender | turns | turns/s | p50 ms | p90 ms | p99 ms | max ms | peak working set MB | allocated KB/turn | CPU ms/turn | connector calls |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Turns} | {r.TurnsPerSecond:F0} | {r.P50Ms:F1} | {r.P90Ms:F1} | {r.P99Ms:F1} | {r.MaxMs:F1} | {r.PeakWorkingSetMb:F0} | {r.AllocatedKbPerTurn:F1} | {r.CpuMsPerTurn:F2} | {r.ConnectorCalls} |"));
        }

        Console.WriteLine();
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name}: {r.Check}");
        }

        var bare = results.First(r => r.Name.StartsWith("bare", StringComparison.Ordinal));
        var bot = results.First(r => r.Name.StartsWith("bot", StringComparison.Ordinal));
        var ratio = bot.TurnsPerSecond / bare.TurnsPerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bot throughput = {ratio:P0} of bare (target >= 50%: {(ratio >= 0.5 ? "met" : "NOT met")}); bot p99 = {bot.P99Ms:F1} ms (target < 50 ms: {(bot.P99Ms < 50 ? "met" : "NOT met")})"));
    }
}
