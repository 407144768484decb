using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace ProcurementBot.Tests.LocalMode;

/// <summary>
/// Outside Development an empty MicrosoftAppId stops the bot at start; the sideload steps run it as Production with
/// the app id, password and keys in user secrets, which are read in every environment.
/// </summary>
public sealed class LocalModeStartTests
{
    private const string AppId = "0b5c7d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e";

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Without_an_app_id_the_bot_does_not_start_outside_Development(string environment)
    {
        using var bot = new Host(environment);

        var error = Assert.ThrowsAny<Exception>(() => bot.Services);

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException { InnerException: { } inner } ? inner : error);
        Assert.Contains($"MicrosoftAppId is empty in the {environment} environment", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_production_bot_process_reads_its_app_id_and_keys_from_user_secrets()
    {
        var home = Directory.CreateTempSubdirectory("procurementbot-home-");
        try
        {
            var secrets = Path.Combine(home.FullName, ".microsoft", "usersecrets", "procurementbot-dev", "secrets.json");
            Directory.CreateDirectory(Path.GetDirectoryName(secrets)!);
            // As `dotnet user-secrets set` writes them: flat keys.
            await File.WriteAllTextAsync(secrets, new JsonObject
            {
                ["MicrosoftAppId"] = AppId,
                ["MicrosoftAppPassword"] = "app-password-from-user-secrets",
                ["MicrosoftAppTenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
                ["Intake:ApiKeys:0"] = "intake-key-from-user-secrets-0123456789",
            }.ToJsonString());

            await using var bot = await BotProcess.StartAsync(home.FullName);
            using var http = new HttpClient { BaseAddress = bot.Address };
            using var purchase = new HttpRequestMessage(HttpMethod.Post, "api/purchases") { Content = JsonContent.Create(BotApp.Purchase("megan@contoso.com")) };
            purchase.Headers.Add("X-Api-Key", "intake-key-from-user-secrets-0123456789");
            var intake = await http.SendAsync(purchase);
            // Authentication is on (the app id came from user secrets): an activity without a token is refused.
            var activity = await http.PostAsJsonAsync("api/messages", TeamsActivities.Message(new TeamsUser("Megan Bowen", "megan@contoso.com"), "http://127.0.0.1:9/", "help"));

            Assert.True(intake.IsSuccessStatusCode, $"intake answered {(int)intake.StatusCode}: {await intake.Content.ReadAsStringAsync()}\n{bot.Output}");
            Assert.Equal(HttpStatusCode.Unauthorized, activity.StatusCode);
            Assert.Contains($"authentication is on for app {AppId}", bot.Output, StringComparison.Ordinal);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_production_bot_process_without_an_app_id_exits_naming_the_key()
    {
        var home = Directory.CreateTempSubdirectory("procurementbot-home-");
        try
        {
            var (exitCode, output) = await BotProcess.RunToExitAsync(home.FullName);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("MicrosoftAppId is empty in the Production environment", output, StringComparison.Ordinal);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private sealed class Host(string environment) : WebApplicationFactory<Program>
    {
        private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"procurementbot-start-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            builder.WithoutUserSecrets();
            builder.UseSetting("Storage:Sqlite:ConnectionString", $"Data Source={_databaseFile}");
            builder.UseSetting("CheckIns:DispatcherEnabled", "false");
            builder.UseSetting("MicrosoftAppId", "");
            builder.UseSetting("MicrosoftAppPassword", "");
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            File.Delete(_databaseFile);
        }
    }

    /// <summary>The built bot (ProcurementBot.dll next to the tests) as its own process, as Production, with its own HOME.</summary>
    private sealed class BotProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _output = new();
        private readonly string _databaseFile;

        private BotProcess(Process process, string databaseFile, Uri address)
        {
            _process = process;
            _databaseFile = databaseFile;
            Address = address;
        }

        public Uri Address { get; }

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

        public static async Task<BotProcess> StartAsync(string home)
        {
            var port = FreePort();
            var database = Path.Combine(Path.GetTempPath(), $"procurementbot-secrets-{Guid.NewGuid():N}.db");
            var bot = new BotProcess(Process.Start(StartInfo(home, port, database))!, database, new Uri($"http://127.0.0.1:{port}/"));
            bot.Capture();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                if (bot._process.HasExited)
                {
                    throw new InvalidOperationException($"The bot exited with {bot._process.ExitCode}:\n{bot.Output}");
                }

                try
                {
                    if ((await http.GetAsync(new Uri(bot.Address, "healthz"))).IsSuccessStatusCode)
                    {
                        return bot;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The bot did not answer /healthz in 90 s:\n{bot.Output}");
                }

                await Task.Delay(200);
            }
        }

        public static async Task<(int ExitCode, string Output)> RunToExitAsync(string home)
        {
            var database = Path.Combine(Path.GetTempPath(), $"procurementbot-secrets-{Guid.NewGuid():N}.db");
            await using var bot = new BotProcess(Process.Start(StartInfo(home, FreePort(), database))!, database, new Uri("http://127.0.0.1/"));
            bot.Capture();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await bot._process.WaitForExitAsync(timeout.Token);
            // The output streams end with the process; wait for their last lines.
            bot._process.WaitForExit();
            return (bot._process.ExitCode, bot.Output);
        }

        private static ProcessStartInfo StartInfo(string home, int port, string database)
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ProcurementBot.dll"), "--contentRoot", AppContext.BaseDirectory])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment.Remove("DOTNET_ENVIRONMENT");
            start.Environment.Remove("APPDATA");
            start.Environment["HOME"] = home;
            start.Environment["Urls"] = $"http://127.0.0.1:{port}";
            start.Environment["Storage__Sqlite__ConnectionString"] = $"Data Source={database}";
            start.Environment["CheckIns__DispatcherEnabled"] = "false";
            start.Environment["Logging__Console__FormatterName"] = "simple";
            return start;
        }

        private void Capture()
        {
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_databaseFile + suffix);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
