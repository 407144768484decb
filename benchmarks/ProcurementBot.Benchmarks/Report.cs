using System.Globalization;

namespace ProcurementBot.Benchmarks;

internal sealed record PhaseResult(
    int Turns, double TurnsPerSecond, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double AllocatedKbPerTurn, double CpuMsPerTurn)
{
    public static PhaseResult From(Measurement m) => new(
        m.Turns, m.TurnsPerSecond, m.Percentile(50), m.Percentile(90), m.Percentile(99), m.SortedLatenciesMs[^1],
        m.AllocatedBytes / 1024.0 / m.Turns, m.Cpu.TotalMilliseconds / m.Turns);
}

internal sealed record ScenarioResult(string Name, PhaseResult Saturated, PhaseResult Paced, double PeakWorkingSetMb, long ConnectorCalls, string Check);

internal static class Report
{
    public static void Print(BenchmarkOptions options, IReadOnlyList<ScenarioResult> results)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{options.Conversations} concurrent conversations; saturated = each sends its next turn as soon as it is answered; paced = each sends one turn every {options.Pace.TotalMilliseconds:F0} ms ({options.Conversations * 1000 / options.Pace.TotalMilliseconds:F0} turns/s offered)."));
        Console.WriteLine();
        Console.WriteLine("| contender | load | turns | turns/s | p50 ms | p90 ms | p99 ms | max ms | CPU ms/turn | allocated KB/turn | peak working set MB |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Row(r.Name, "saturated", r.Saturated, r.PeakWorkingSetMb);
            Row(r.Name, "paced", r.Paced, r.PeakWorkingSetMb);
        }

        Console.WriteLine();
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name}: {r.Check}; {r.ConnectorCalls} connector calls");
        }

        var bare = results[0];
        foreach (var bot in results.Skip(1))
        {
            var ratio = bot.Saturated.TurnsPerSecond / bare.Saturated.TurnsPerSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{bot.Name}: saturated throughput {ratio:P0} of the bare endpoint (target >= 50%: {Verdict(ratio >= 0.5)}); paced p99 {bot.Paced.P99Ms:F1} ms (target < 50 ms: {Verdict(bot.Paced.P99Ms < 50)})"));
        }
    }

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    private static void Row(string name, string load, PhaseResult p, double peakMb) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {load} | {p.Turns} | {p.TurnsPerSecond:F0} | {p.P50Ms:F1} | {p.P90Ms:F1} | {p.P99Ms:F1} | {p.MaxMs:F1} | {p.CpuMsPerTurn:F2} | {p.AllocatedKbPerTurn:F1} | {peakMb:F0} |"));
}
