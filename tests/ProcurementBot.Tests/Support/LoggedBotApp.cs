namespace ProcurementBot.Tests.Support;

/// <summary>The whole bot with an admin key and every log line kept (<see cref="CapturedLogs"/>): the bot's own at every level, the framework's as configured.</summary>
public sealed class LoggedBotApp : BotApp
{
    public const string AdminKey = "test-admin-key-logged-0123456789";

    public CapturedLogs Logs { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Admin:ApiKeys:0", AdminKey)];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddLogging(logging =>
        {
            logging.AddProvider(Logs);
            logging.AddFilter<CapturedLogs>("ProcurementBot", LogLevel.Trace);
        }));
    }
}
