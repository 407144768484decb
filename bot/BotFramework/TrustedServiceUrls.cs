namespace ProcurementBot.BotFramework;

/// <summary>Service URLs the bot may send its token to: those seen in authenticated activities or stored from them.</summary>
public sealed class TrustedServiceUrls
{
    /// <summary>Teams' global service URL, used before any activity has arrived.</summary>
    public const string TeamsDefault = "https://smba.trafficmanager.net/teams/";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _urls = new(StringComparer.OrdinalIgnoreCase);

    public TrustedServiceUrls() => Trust(TeamsDefault);

    public void Trust(string serviceUrl) => _urls.TryAdd(Normalize(serviceUrl), 0);

    public bool IsTrusted(string serviceUrl) => _urls.ContainsKey(Normalize(serviceUrl));

    private static string Normalize(string url) => url.TrimEnd('/');
}
