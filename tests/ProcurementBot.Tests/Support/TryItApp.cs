using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// The bot as a developer runs it for the try-it page, on a real Kestrel port a browser can reach, with the real
/// clock and its background sender and escalation worker polling fast; and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class TryItApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"procurementbot-tryit-{Guid.NewGuid():N}.db");
    private readonly int _port = FreePort();
    private IPlaywright? _playwright;

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory => Path.Combine(NodeTools.RepoRoot, "tests", "ProcurementBot.Tests", "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        await EnsureChromiumAsync();
        UseKestrel(_port);
        StartServer();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("BotFramework:AllowLocalModeOutsideDevelopment", "true");
        builder.WithoutUserSecrets();
        builder.UseSetting("TryIt:Enabled", "true");
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("Storage:Sqlite:ConnectionString", $"Data Source={_databaseFile}");
        builder.UseSetting("Intake:ApiKeys:0", "try-it-test-intake-key");
        builder.UseSetting("CheckIns:PollInterval", "00:00:00.500");
        builder.UseSetting("Escalations:PollInterval", "00:00:00.500");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_databaseFile + suffix);
        }
    }

    /// <summary>Installs Debian's chromium when it is missing (root, non-interactive), as CI's clean machine needs.</summary>
    private static async Task EnsureChromiumAsync()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }

        foreach (var args in new[] { "update -q", "install -y -q chromium" })
        {
            var start = new ProcessStartInfo("apt-get", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start apt-get.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"`apt-get {args}` failed ({process.ExitCode}); the browser tests need {ChromiumPath}.\n{await stderr}\n{await stdout}");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
