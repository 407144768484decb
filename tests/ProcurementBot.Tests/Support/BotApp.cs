using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ProcurementBot.CheckIns;
using ProcurementBot.Storage;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// The whole bot over WebApplicationFactory, on its own SQLite file, talking to a loopback Teams
/// connector stand-in. The background sender is off: tests send due check-ins with <see cref="DispatchAsync"/>.
/// </summary>
public class BotApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string IntakeKey = "test-intake-key-0123456789";

    private readonly string _databaseFile;
    private readonly bool _ownsDatabase;

    public TeamsConnectorStub Connector { get; private set; } = null!;

    public FakeTimeProvider Clock { get; }

    /// <summary>A bot whose clock starts now.</summary>
    public BotApp()
        : this(DateTimeOffset.UtcNow)
    {
    }

    /// <summary>A bot whose clock starts at a known instant (a fake clock can only move forward, so a fixture that needs a fixed date starts there).</summary>
    protected BotApp(DateTimeOffset startsAt)
        : this(startsAt, null)
    {
    }

    /// <summary>
    /// A bot on <paramref name="databaseFile"/> when given: another instance sharing a first one's store (the first
    /// one deletes the file); otherwise on a new file of its own.
    /// </summary>
    protected BotApp(DateTimeOffset startsAt, string? databaseFile)
    {
        Clock = new FakeTimeProvider(startsAt);
        _ownsDatabase = databaseFile is null;
        _databaseFile = databaseFile ?? Path.Combine(Path.GetTempPath(), $"procurementbot-test-{Guid.NewGuid():N}.db");
    }

    /// <summary>This bot's SQLite file.</summary>
    public string DatabaseFile => _databaseFile;

    /// <summary>Extra configuration for a derived fixture (authentication on, for instance).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public virtual async Task InitializeAsync()
    {
        Connector = await TeamsConnectorStub.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Local mode outside Development, as the test host needs it (AuthenticatedBotApp sets an app id instead).
        builder.UseSetting("BotFramework:AllowLocalModeOutsideDevelopment", "true");
        builder.WithoutUserSecrets();
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("Storage:Sqlite:ConnectionString", $"Data Source={_databaseFile}");
        builder.UseSetting("Intake:ApiKeys:0", IntakeKey);
        builder.UseSetting("CheckIns:DispatcherEnabled", "false");
        // The test clock stands still unless a test moves it, so pacing would hold a chatty test forever;
        // fixtures that test pacing turn it on (PacedBotApp).
        builder.UseSetting("Pacing:Enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public IProcurementStore Store => Services.GetRequiredService<IProcurementStore>();

    /// <summary>The token sent with activities that name none (a fixture with authentication on sets it).</summary>
    protected virtual string? DefaultBearer => null;

    /// <summary>Posts an activity to /api/messages as the channel would.</summary>
    public async Task<HttpResponseMessage> SendAsync(JsonObject activity, string? bearer = null)
    {
        bearer ??= DefaultBearer;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(activity) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        return await CreateClient().SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostPurchasesAsync(object body, string? key = IntakeKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/purchases") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await CreateClient().SendAsync(request);
    }

    /// <summary>A purchase delivered to <paramref name="email"/>, due for its check-in now.</summary>
    public static object Purchase(string email, string? purchaseId = null, string category = "laptops") => new
    {
        purchaseId = purchaseId ?? $"PO-{Guid.NewGuid():N}"[..16],
        requesterEmail = email,
        supplier = "Dell",
        category,
        description = "Latitude 7450 laptop",
        deliveredAt = DateTimeOffset.UtcNow.AddDays(-3).ToString("O"),
        amount = 1499.00m,
        currency = "EUR",
        checkInAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
    };

    public Task<int> DispatchAsync() => Services.GetRequiredService<CheckInDispatcher>().DispatchDueAsync(CancellationToken.None);

    /// <summary>A Teams user who installed the bot (their member lookup answers with their email).</summary>
    public Task<TeamsUser> InstallAsync(string name = "Megan Bowen", string? email = null) =>
        InstallAsync(new TeamsUser(name, email ?? $"megan.{Guid.NewGuid():N}@contoso.com"));

    /// <summary>This Teams user installs the bot.</summary>
    public async Task<TeamsUser> InstallAsync(TeamsUser user)
    {
        Connector.AddMember(user.UserId, user.Name, user.Email, user.AadObjectId, TeamsUser.TenantId);
        var response = await SendAsync(TeamsActivities.Installed(user, Connector.ServiceUrl));
        response.EnsureSuccessStatusCode();
        return user;
    }

    /// <summary>Calls made to a user's 1:1 conversation.</summary>
    public IReadOnlyList<ConnectorCall> CallsTo(TeamsUser user) =>
        [.. Connector.Calls.Where(c => c.Path.Contains(user.ConversationId, StringComparison.Ordinal))];

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Connector.DisposeAsync();
        await base.DisposeAsync();
        foreach (var suffix in _ownsDatabase ? new[] { "", "-wal", "-shm" } : [])
        {
            File.Delete(_databaseFile + suffix);
        }
    }
}
