using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// The built bot (<c>bot/bin/&lt;Configuration&gt;/net10.0/ProcurementBot.dll</c>) as a real child process, for
/// crash tests: started with <c>dotnet</c> on a free loopback port, configured by environment variables only,
/// ready once <c>/healthz</c> answers 200. <see cref="Kill"/> is a SIGKILL of its whole process tree (no shutdown
/// hooks run, nothing is flushed); <see cref="RestartAsync"/> starts it again on the same port and the same data.
/// <para>
/// Its stdout and stderr, of every run, are kept for failure messages (<see cref="Output"/>). Disposing kills it and
/// deletes its data folder; a test process that ends without disposing kills it on <see cref="AppDomain.ProcessExit"/>.
/// </para>
/// <para>
/// Settings use configuration keys (<c>Storage:Provider</c>); they become environment variables (<c>Storage__Provider</c>).
/// <see cref="Sqlite"/> gives a SQLite file in a temp folder, <see cref="Cosmos"/> a database on the tests' Cosmos DB
/// server, <see cref="LocalMode"/> local unauthenticated mode in Development (the bot then calls only the connector
/// stand-in named by each activity's serviceUrl); Bot Framework authentication against
/// <see cref="LocalBotFrameworkIdentity"/> is its <see cref="LocalBotFrameworkIdentity.BotConfiguration"/> passed as settings.
/// </para>
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    public const string IntakeKey = "crash-intake-key-0123456789";
    public const string AdminKey = "crash-admin-key-0123456789";

    private static readonly ConcurrentDictionary<BotProcess, byte> Running = new();
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, string?> _settings;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private Process? _process;
    private int _runs;

    static BotProcess()
    {
        // A test run that ends without disposing (a crash, an abort) must not leave bots behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var bot in Running.Keys)
            {
                bot.Kill();
            }
        };
    }

    private BotProcess(Dictionary<string, string?> settings, string dataFolder, int port)
    {
        _settings = settings;
        DataFolder = dataFolder;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The folder for this bot's data (its SQLite file); deleted on dispose.</summary>
    public string DataFolder { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client for the bot's address. Requests in flight fail when the bot is killed.</summary>
    public HttpClient Client { get; }

    /// <summary>The process id of the current run, or null when it is not running.</summary>
    public int? ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false } p ? p.Id : null;
            }
        }
    }

    /// <summary>Everything the bot wrote on stdout and stderr, over every run, each run headed by a marker line.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The bot's path: <c>bot/bin/&lt;Configuration&gt;/net10.0/ProcurementBot.dll</c>, the configuration the tests were built with.</summary>
    public static string BotAssemblyPath
    {
        get
        {
            // The tests run from tests/ProcurementBot.Tests/bin/<Configuration>/<tfm>/.
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = here.Name;
            var configuration = here.Parent!.Name;
            var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            var path = Path.Combine(root, "bot", "bin", configuration, framework, "ProcurementBot.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"The built bot is not at {path}; build the solution (dotnet build ProcurementBot.sln) first.", path);
        }
    }

    /// <summary>A SQLite file in <paramref name="dataFolder"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Sqlite(string dataFolder) =>
    [
        new("Storage:Provider", "Sqlite"),
        new("Storage:Sqlite:ConnectionString", $"Data Source={Path.Combine(dataFolder, "bot.db")}"),
    ];

    /// <summary>A database of its own on the tests' Cosmos DB server (or account).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Cosmos(CosmosEmulator cosmos, string database) =>
    [
        new("Storage:Provider", "Cosmos"),
        new("Storage:Cosmos:ConnectionString", cosmos.ConnectionString),
        new("Storage:Cosmos:Database", database),
        new("Storage:Cosmos:ConnectionMode", cosmos.ConnectionMode.ToString()),
        new("Storage:Cosmos:LimitToEndpoint", cosmos.IsLocal ? "true" : "false"),
    ];

    /// <summary>Local mode: Development, no app id, so activities need no token and replies need none.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> LocalMode() =>
    [
        new("ASPNETCORE_ENVIRONMENT", "Development"),
        new("MicrosoftAppId", ""),
        new("MicrosoftAppPassword", ""),
        new("TryIt:Enabled", "false"),
    ];

    /// <summary>The Slack Web API stand-in, with the signing secret and bot token the Slack payload helpers sign with.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Slack(Uri apiBaseUrl, string signingSecret, string botToken) =>
    [
        new("Slack:ApiBaseUrl", apiBaseUrl.ToString()),
        new("Slack:SigningSecret", signingSecret),
        new("Slack:BotToken", botToken),
    ];

    /// <summary>
    /// Starts the bot and waits until it is healthy. Without a storage setting it gets a SQLite file in its data folder;
    /// without an environment, Development in local mode. Intake and admin keys are <see cref="IntakeKey"/> and <see cref="AdminKey"/>.
    /// </summary>
    public static async Task<BotProcess> StartAsync(IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var dataFolder = Directory.CreateTempSubdirectory("procurementbot-crash-").FullName;
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in LocalMode().Concat(Sqlite(dataFolder)))
        {
            all[key] = value;
        }

        all["Intake:ApiKeys:0"] = IntakeKey;
        all["Admin:ApiKeys:0"] = AdminKey;
        all["Logging:Console:FormatterName"] = "simple";
        all["Logging:Console:FormatterOptions:SingleLine"] = "true";
        all["Logging:Console:FormatterOptions:ColorBehavior"] = "Disabled";
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var bot = new BotProcess(all, dataFolder, FreeLoopbackPort());
        Running[bot] = 0;
        try
        {
            await bot.LaunchAsync();
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }

        return bot;
    }

    /// <summary>SIGKILL of the bot and every process it started; returns once it is gone. Harmless when not running.</summary>
    public void Kill()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
        }

        if (process is null)
        {
            return;
        }

        try
        {
            // On Unix, Kill sends SIGKILL; entireProcessTree takes the children too.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        process.WaitForExit();
        Append($"===== killed (exit code {process.ExitCode}) =====");
    }

    /// <summary>Kills the bot if it runs, then starts it again on the same port and data, and waits until it is healthy.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await LaunchAsync();
    }

    /// <summary>Posts an activity to /api/messages as the channel would (no token: local mode).</summary>
    public Task<HttpResponseMessage> SendAsync(JsonObject activity, CancellationToken cancellationToken = default) =>
        Client.PostAsJsonAsync("api/messages", activity, cancellationToken);

    public async Task<HttpResponseMessage> PostPurchasesAsync(object body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/purchases") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", IntakeKey);
        return await Client.SendAsync(request, cancellationToken);
    }

    /// <summary>A GET of an admin endpoint with the admin key.</summary>
    public async Task<JsonNode?> GetAdminAsync(string path, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", AdminKey);
        using var response = await Client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)
            : throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        Running.TryRemove(this, out _);
        Client.Dispose();
        lock (_gate)
        {
            _process?.Dispose();
            _process = null;
        }

        await Task.Yield();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open somewhere; the temp folder is cleaned by the system eventually.
        }
    }

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            // The bot's appsettings.json is next to it; the content root is the working directory.
            WorkingDirectory = Path.GetDirectoryName(BotAssemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BotAssemblyPath);
        foreach (var name in start.Environment.Keys.ToList())
        {
            // What the test host runs under must not leak into the bot's configuration.
            if (name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("PROCUREMENTBOT_", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (key, value) in _settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        start.Environment["Urls"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["DOTNET_NOLOGO"] = "1";

        var process = new Process { StartInfo = start };
        var run = Interlocked.Increment(ref _runs);
        Append($"===== run {run} =====");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start dotnet for the bot.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_gate)
        {
            _process?.Dispose();
            _process = process;
        }

        await WaitUntilHealthyAsync(process);
    }

    private async Task WaitUntilHealthyAsync(Process process)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bot exited with code {process.ExitCode} before it was healthy:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }

            if (watch.Elapsed > StartTimeout)
            {
                Kill();
                throw new TimeoutException($"The bot was not healthy within {StartTimeout.TotalSeconds:0} s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
