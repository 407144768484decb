using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ProcurementBot.Benchmarks;

/// <summary>Teams-shaped personal-chat activities for numbered users, and a closed-loop driver.</summary>
internal static class Load
{
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string BotId = "28:3f7a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

    private static long _activityId = 1_700_000_000_000;

    public static string UserId(int user) => $"29:1bench{user:D6}XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85g";

    public static string ConversationId(int user) => $"a:1bench{user:D6}7I0kl9EkpE1O9PH5TWrzrLqwnGpBYgoF";

    public static string EmailOf(string userId) => $"user{userId.Substring(8, 6)}@contoso.com";

    public static string AadObjectIdOf(string userId) => $"00000000-0000-0000-0000-{userId.Substring(8, 6).PadLeft(12, '0')}";

    public static byte[] Activity(int user, string serviceUrl, string type, string? text = null)
    {
        var userId = UserId(user);
        var activity = new Dictionary<string, object?>
        {
            ["type"] = type,
            ["id"] = Interlocked.Increment(ref _activityId).ToString(CultureInfo.InvariantCulture),
            ["timestamp"] = DateTimeOffset.UtcNow,
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new { id = userId, name = "Load Test User", aadObjectId = AadObjectIdOf(userId) },
            ["conversation"] = new { conversationType = "personal", tenantId = TenantId, id = ConversationId(user) },
            ["recipient"] = new { id = BotId, name = "ProcurementBot" },
            ["entities"] = new[] { new { type = "clientInfo", locale = "en-US", country = "US", platform = "Web", timezone = "Europe/Berlin" } },
            ["channelData"] = new { tenant = new { id = TenantId } },
            ["locale"] = "en-US",
        };
        if (text is not null)
        {
            activity["text"] = text;
            activity["textFormat"] = "plain";
        }

        if (type == "conversationUpdate")
        {
            activity["membersAdded"] = new[] { new { id = BotId } };
        }

        return JsonSerializer.SerializeToUtf8Bytes(activity);
    }

    public static async Task SendAsync(HttpClient client, byte[] body, string? bearer)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = content };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"/api/messages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Each conversation sends its turns one after another (a person waits for the answer before typing
    /// again); all conversations run at once. With <paramref name="pace"/> zero they send as fast as they
    /// are answered (saturation); otherwise each sends one turn per <paramref name="pace"/>, starting at
    /// a random offset, and sooner never. Returns each turn's latency.
    /// </summary>
    public static async Task<Measurement> RunAsync(
        HttpClient client, string serviceUrl, int conversations, IReadOnlyList<string> script, string? bearer, TimeSpan pace = default)
    {
        var latencies = new double[conversations][];
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, conversations).Select(async user =>
        {
            var offset = pace * Random.Shared.NextDouble();
            await Task.Delay(offset);
            var mine = latencies[user] = new double[script.Count];
            for (var turn = 0; turn < script.Count; turn++)
            {
                var due = offset + (pace * turn) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                var body = Activity(user, serviceUrl, "message", script[turn]);
                var sent = Stopwatch.GetTimestamp();
                await SendAsync(client, body, bearer);
                mine[turn] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Measurement(all.Length, elapsed, all, GC.GetTotalAllocatedBytes() - allocatedBefore, cpu);
    }
}

internal sealed record Measurement(int Turns, TimeSpan Elapsed, double[] SortedLatenciesMs, long AllocatedBytes, TimeSpan Cpu)
{
    public double TurnsPerSecond => Turns / Elapsed.TotalSeconds;

    public double Percentile(double p) => SortedLatenciesMs[Math.Min(SortedLatenciesMs.Length - 1, (int)Math.Ceiling(p / 100 * SortedLatenciesMs.Length) - 1)];
}
