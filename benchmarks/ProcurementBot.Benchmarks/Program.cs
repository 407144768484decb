using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ProcurementBot.Benchmarks;

// One command: `dotnet run -c Release --project benchmarks/ProcurementBot.Benchmarks` (answer turns);
// `-- checkins` delivers 100,000 check-ins under Teams' rate limits; `-- all` runs both.
// Each contender runs in a child process of its own, so peak memory is its own.
internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "checkins":
                return await CheckInScenario.RunAsync(args);
            case "checkins-worker":
                return await CheckInScenario.WorkerAsync(args);
        }

        var options = BenchmarkOptions.Parse(args);
        if (options.Scenario is { } scenario)
        {
            var result = scenario switch
            {
                "bare" => await Scenarios.BareAsync(options),
                "bot" => await Scenarios.BotAsync(options),
                _ => throw new ArgumentException($"Unknown scenario '{scenario}'; use bare or bot."),
            };
            Console.WriteLine(Scenarios.ResultPrefix + JsonSerializer.Serialize(result));
            return 0;
        }

        Console.WriteLine($"ProcurementBot benchmark: {options.Conversations} concurrent conversations, {options.CheckInsPerConversation} check-ins each per phase (2 typed answer turns per check-in), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var results = new List<ScenarioResult>();
        foreach (var name in new[] { "bare", "bot" })
        {
            Console.WriteLine($"running {name}...");
            results.Add(await RunChildAsync(name, args));
        }

        Report.Print(options, results);
        return args.FirstOrDefault() == "all" ? await CheckInScenario.RunAsync(args) : 0;
    }

    private static async Task<ScenarioResult> RunChildAsync(string scenario, string[] args)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Scenarios).Assembly.Location);
        }

        foreach (var arg in args.Append("--scenario").Append(scenario))
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        ScenarioResult? result = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(Scenarios.ResultPrefix, StringComparison.Ordinal))
            {
                result = JsonSerializer.Deserialize<ScenarioResult>(line[Scenarios.ResultPrefix.Length..]);
            }
            else
            {
                Console.WriteLine($"  [{scenario}] {line}");
            }
        }

        await child.WaitForExitAsync();
        return child.ExitCode == 0 && result is not null
            ? result
            : throw new InvalidOperationException($"The {scenario} scenario failed with exit code {child.ExitCode}.");
    }
}

internal sealed record BenchmarkOptions(string? Scenario, int Conversations, int WarmUpCheckIns, int CheckInsPerConversation, TimeSpan Pace, bool Authentication)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchmarkOptions(
            Value("--scenario"),
            int.Parse(Value("--conversations") ?? "200", CultureInfo.InvariantCulture),
            int.Parse(Value("--warm-up-check-ins") ?? "5", CultureInfo.InvariantCulture),
            int.Parse(Value("--check-ins") ?? "15", CultureInfo.InvariantCulture),
            TimeSpan.FromMilliseconds(int.Parse(Value("--pace-ms") ?? "250", CultureInfo.InvariantCulture)),
            !args.Contains("--no-auth"));
    }
}
