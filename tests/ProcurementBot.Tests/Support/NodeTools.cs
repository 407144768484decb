using System.Diagnostics;
using System.Security.Cryptography;

namespace ProcurementBot.Tests.Support;

public sealed record NodeResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs the Node.js scripts in <c>tests/tools</c> (the official Adaptive Cards renderer, the Teams
/// manifest schema) and provides its packages to other fixtures (the local Cosmos DB server). Installs their pinned packages with <c>npm ci</c> once per test run, skipped
/// when <c>node_modules</c> already matches <c>package-lock.json</c>.
/// </summary>
public static class NodeTools
{
    private const string StampFile = ".procurementbot-lock-hash";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<Task> Install = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ToolsDirectory => Path.Combine(RepoRoot, "tests", "tools");

    /// <summary>Runs <c>node script args</c> in <c>tests/tools</c>, feeding <paramref name="stdin"/>.</summary>
    public static async Task<NodeResult> RunScriptAsync(string script, string? stdin, params string[] args)
    {
        await Install.Value;
        return await RunAsync(Executable("node"), [script, .. args], stdin, ScriptTimeout);
    }

    /// <summary>Installs the pinned packages of <c>tests/tools</c> (once per run; a no-op while the lock file is unchanged).</summary>
    public static Task EnsureInstalledAsync() => Install.Value;

    /// <summary>The full path of <c>node</c>, or a clear failure when Node.js is not installed.</summary>
    public static string NodeExecutable => Executable("node");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProcurementBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ProcurementBot.sln above {AppContext.BaseDirectory}: cannot find tests/tools.");
    }

    private static async Task InstallAsync()
    {
        var lockFile = Path.Combine(ToolsDirectory, "package-lock.json");
        var stamp = Path.Combine(ToolsDirectory, "node_modules", StampFile);
        var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(lockFile)));

        // Other test processes may share this checkout: one installs at a time.
        await using var guard = await AcquireFileLockAsync(Path.Combine(ToolsDirectory, ".npm-ci.lock"));
        if (File.Exists(stamp) && (await File.ReadAllTextAsync(stamp)).Trim() == hash)
        {
            return;
        }

        _ = Executable("node"); // fail with the clear message before npm does
        var result = await RunAsync(Executable("npm"), ["ci", "--no-audit", "--no-fund", "--loglevel=error"], stdin: null, InstallTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`npm ci` in {ToolsDirectory} failed with exit code {result.ExitCode}.\n{result.Stderr}\n{result.Stdout}");
        }

        await File.WriteAllTextAsync(stamp, hash);
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>The full path of a program on PATH, or a clear failure when it is not installed.</summary>
    private static string Executable(string name)
    {
        var candidates = OperatingSystem.IsWindows() ? new[] { name + ".exe", name + ".cmd" } : [name];
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in candidates)
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        throw new InvalidOperationException(
            $"`{name}` is not on PATH. The card and manifest tests run the official Node.js tools in tests/tools: " +
            "install Node.js 20.19 or later with npm (https://nodejs.org), then run the tests again.");
    }

    private static async Task<NodeResult> RunAsync(string fileName, IEnumerable<string> args, string? stdin, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = ToolsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CI"] = "true";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["npm_config_update_notifier"] = "false";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // Without UTF-8 here a card's emoji would reach node as question marks.
        await using (var input = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false)))
        {
            if (stdin is not null)
            {
                await input.WriteAsync(stdin);
            }
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', args)} did not finish within {timeout}.");
        }

        return new NodeResult(process.ExitCode, await stdout, await stderr);
    }
}
