using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Azure.Cosmos;
using ProcurementBot.Storage.Cosmos;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// The Cosmos DB the tests talk to.
/// <para>
/// By default: a local Cosmos DB server (npm <c>@vercel/cosmosdb-server</c>, pinned in <c>tests/tools</c> and
/// installed there by <see cref="NodeTools"/> with <c>npm ci</c>), started once per test run on a free loopback
/// port over HTTPS with a self-signed certificate, and used in Gateway mode with LimitToEndpoint. It serves
/// point operations, ETag conditions, single-partition queries and the change feed, but not cross-partition
/// queries, ORDER BY, aggregates, ReadMany or transactional batch (see shared/PLATFORM.md). It keeps everything
/// in memory and never throttles. A point read of a missing document answers 404 as on Cosmos DB only thanks to
/// a fix applied at start (see <see cref="Launcher"/>): unpatched, the server answers 500.
/// </para>
/// <para>
/// With the environment variable <c>PROCUREMENTBOT_COSMOS_CONNECTION_STRING</c> set, no server is started: the
/// tests use that real account (Direct mode unless <c>PROCUREMENTBOT_COSMOS_CONNECTION_MODE=Gateway</c>). Each
/// test creates its own database, so use an account meant for tests, and delete stray databases afterwards.
/// </para>
/// <para>
/// The server dies with the test process: it is killed on <see cref="AppDomain.ProcessExit"/>, and it exits by
/// itself when its standard input closes, which happens when the test process dies in any way, even killed.
/// </para>
/// </summary>
public sealed class CosmosEmulator : IDisposable
{
    public const string ConnectionStringVariable = "PROCUREMENTBOT_COSMOS_CONNECTION_STRING";
    public const string ConnectionModeVariable = "PROCUREMENTBOT_COSMOS_CONNECTION_MODE";

    /// <summary>The Azure Cosmos DB emulator's published, well-known key (not a secret). The local server accepts any key.</summary>
    public const string WellKnownKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<Task<CosmosEmulator>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    // Runs the server's CLI in this node process and exits when stdin closes (the parent died or let go).
    // It also mends one defect of @vercel/cosmosdb-server 1.0.1: a point read of a document that does not
    // exist answers 500 (its read handler dereferences the missing document) where Cosmos DB answers 404.
    // The fixed handler is put in place before the server's routing table is built from it. And resource ids
    // that would break URL paths are skipped (below).
    private const string Launcher = """
        const path = require('path');
        const [cli, port] = process.argv.slice(-2);
        process.stdin.on('end', () => process.exit(0));
        process.stdin.on('error', () => process.exit(0));
        process.stdin.resume();

        const lib = path.dirname(cli);
        const readDocument = require(path.join(lib, 'handler', 'read-document.js'));
        const partition = require(path.join(lib, 'utils', 'get-partition-from-header.js'));
        const read = readDocument.default;
        readDocument.default = (account, req, res, params) => {
          const collection = account.database(params.dbId).collection(params.collId);
          if (collection.read()) {
            const key = partition.parsePartitionKey(partition.default(req), params.docId);
            if (!collection.document(params.docId, key).read()) {
              res.statusCode = 404;
              return { code: 'NotFound', message: 'Entity with the specified id does not exist in the system.' };
            }
          }
          return read(account, req, res, params);
        };

        // A second defect: resource ids are base64 of counters, so the 62nd and 63rd database (and every 64th after)
        // get an id with '+' or '/' ("gAA/AA=="). The SDK addresses partition key ranges by that id in the URL path,
        // which then no longer routes: 404, "failed due to stale cache", for whichever test got that database.
        // Cosmos DB's ids never break URLs; the patched counters skip the ones that would.
        const unsafe = /[+/]/;
        for (const [file, level] of [['databases.js', 'database'], ['collections.js', 'collection']]) {
          const items = require(path.join(lib, 'account', file)).default;
          const rid = items.prototype._rid;
          items.prototype._rid = function () {
            this._safeRidCount = this._safeRidCount || 0;
            let next;
            do { this._safeRidCount += 1; next = rid.call(this, this._safeRidCount); } while (unsafe.test(next));
            return next;
          };
        }

        process.argv = [process.argv[0], cli, '-p', port, '--host', '127.0.0.1'];
        require(cli);
        """;

    private readonly Process? process;
    private readonly StringBuilder output;
    private int disposed;

    private CosmosEmulator(string connectionString, bool isLocal, CosmosConnectionMode mode, Process? process, StringBuilder output)
    {
        ConnectionString = connectionString;
        IsLocal = isLocal;
        ConnectionMode = mode;
        this.process = process;
        this.output = output;
    }

    /// <summary>The local server's connection string, or the real account's from the environment.</summary>
    public string ConnectionString { get; }

    /// <summary>True for the local server, false for a real account given in the environment.</summary>
    public bool IsLocal { get; }

    public CosmosConnectionMode ConnectionMode { get; }

    /// <summary>What the local server printed so far (empty for a real account): for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The one server of this test run, started on first use; or the real account from the environment.</summary>
    public static Task<CosmosEmulator> SharedAsync() => Shared.Value;

    /// <summary>A database name no other test uses.</summary>
    public static string UniqueDatabaseName(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Options for <paramref name="database"/>: Gateway + LimitToEndpoint on the local server.</summary>
    public CosmosOptions Options(string database) => new()
    {
        ConnectionString = ConnectionString,
        Database = database,
        ConnectionMode = ConnectionMode,
        LimitToEndpoint = IsLocal,
    };

    public CosmosClient CreateClient(ILoggerFactory? loggerFactory = null) =>
        CosmosSetup.CreateClient(Options("unused"), loggerFactory);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0 || process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.Dispose();
    }

    private static async Task<CosmosEmulator> StartAsync()
    {
        var real = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(real))
        {
            var mode = string.Equals(Environment.GetEnvironmentVariable(ConnectionModeVariable), "Gateway", StringComparison.OrdinalIgnoreCase)
                ? CosmosConnectionMode.Gateway
                : CosmosConnectionMode.Direct;
            return new CosmosEmulator(real, isLocal: false, mode, process: null, new StringBuilder());
        }

        await NodeTools.EnsureInstalledAsync();
        var cli = Path.Combine(NodeTools.ToolsDirectory, "node_modules", "@vercel", "cosmosdb-server", "lib", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"{cli} is missing after `npm ci` in {NodeTools.ToolsDirectory}: is @vercel/cosmosdb-server in tests/tools/package.json?");
        }

        // A free port can be taken between asking and listening: try a few.
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var emulator = Launch(cli, FreePort());
            try
            {
                await emulator.WaitUntilReadyAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => emulator.Dispose();
                return emulator;
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
            {
                last = e;
                emulator.Dispose();
            }
        }

        throw new InvalidOperationException("The local Cosmos DB server (@vercel/cosmosdb-server) did not start.", last);
    }

    private static CosmosEmulator Launch(string cli, int port)
    {
        var start = new ProcessStartInfo(NodeTools.NodeExecutable)
        {
            WorkingDirectory = NodeTools.ToolsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-e", Launcher, cli, port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start node for the local Cosmos DB server.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // stdin stays open and unused: when this process dies, the pipe closes and the server exits.
        var connectionString = $"AccountEndpoint=https://127.0.0.1:{port}/;AccountKey={WellKnownKey};DisableServerCertificateValidation=True;";
        return new CosmosEmulator(connectionString, isLocal: true, CosmosConnectionMode.Gateway, process, output);
    }

    private async Task WaitUntilReadyAsync()
    {
        var endpoint = new Uri(ConnectionString.Split(';')[0]["AccountEndpoint=".Length..]);
        using var handler = new HttpClientHandler
        {
            // The local server's certificate is self-signed; this probe talks to nothing else.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"The local Cosmos DB server exited with code {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(endpoint);
                return; // any HTTP answer means it listens
            }
            catch (HttpRequestException) when (deadline.Elapsed < StartTimeout)
            {
            }
            catch (TaskCanceledException) when (deadline.Elapsed < StartTimeout)
            {
            }

            if (deadline.Elapsed >= StartTimeout)
            {
                throw new TimeoutException($"The local Cosmos DB server did not answer on {endpoint} within {StartTimeout}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
