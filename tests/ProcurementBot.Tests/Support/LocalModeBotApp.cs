using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Testing;
using ProcurementBot.BotFramework;
using ProcurementBot.Storage;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// The bot as a developer runs it: the Development environment with the repository's appsettings.Development.json
/// (its published keys, the try-it page), MicrosoftAppId empty. A request says where it comes from with
/// <see cref="RemoteAddressHeader"/>, which the fixture turns into the connection's remote address (a test server has
/// none). Outbound connector calls to anywhere but loopback never reach the network: <see cref="Network"/> records
/// them and answers as a connector would.
/// </summary>
public sealed class LocalModeBotApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DevIntakeKey = "local-dev-intake-key";
    public const string DevAdminKey = "local-dev-admin-key";
    public const string RealIntakeKey = "real-intake-key-from-user-secrets-0123456789";
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"procurementbot-localmode-{Guid.NewGuid():N}.db");

    public TeamsConnectorStub Connector { get; private set; } = null!;

    /// <summary>Connector calls the bot made to service URLs off this machine.</summary>
    public ConcurrentQueue<Uri> Network { get; } = new();

    public IProcurementStore Store => Services.GetRequiredService<IProcurementStore>();

    public async Task InitializeAsync() => Connector = await TeamsConnectorStub.StartAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("Storage:Sqlite:ConnectionString", $"Data Source={_databaseFile}");
        // A second index, so the published key keeps its own place, wherever it is configured.
        builder.UseSetting("Intake:ApiKeys:1", RealIntakeKey);
        builder.UseSetting("CheckIns:DispatcherEnabled", "false");
        builder.UseSetting("Pacing:Enabled", "false");
        builder.WithoutUserSecrets();
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>();
            services.AddHttpClient(BotFrameworkExtensions.ConnectorHttpClient).AddHttpMessageHandler(() => new OffMachineRecorder(Network));
        });
    }

    /// <summary>A request as sent from <paramref name="remote"/> (null: the test server's own, on this machine).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, object? json = null, string? remote = null, string? host = null,
        params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        if (remote is not null)
        {
            request.Headers.Add(RemoteAddressHeader, remote);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await CreateClient().SendAsync(request);
        }
    }

    public Task<HttpResponseMessage> SendActivityAsync(JsonObject activity) => SendAsync(Request(HttpMethod.Post, "/api/messages", activity));

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Connector.DisposeAsync();
        await DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_databaseFile + suffix);
        }
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.Remove(RemoteAddressHeader, out var remote))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(remote.ToString());
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>The network beyond this machine, as far as the bot's connector client is concerned: recorded, never reached.</summary>
    private sealed class OffMachineRecorder(ConcurrentQueue<Uri> calls) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            if (uri.IsLoopback)
            {
                return base.SendAsync(request, cancellationToken);
            }

            calls.Enqueue(uri);
            // What a connector answers: an id for a sent activity, a member for a lookup.
            var body = request.Method == HttpMethod.Get
                ? new JsonObject { ["id"] = "29:1", ["name"] = "Someone", ["email"] = "someone@contoso.com", ["userPrincipalName"] = "someone@contoso.com" }
                : new JsonObject { ["id"] = "1" };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(body) });
        }
    }
}
