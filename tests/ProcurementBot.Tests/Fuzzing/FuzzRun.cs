namespace ProcurementBot.Tests.Fuzzing;

/// <summary>
/// Sends the cases of one endpoint one after another and asserts, for each: an answer within the per-request timeout
/// (no hang), no 5xx, and for a refused request (4xx) a store exactly as before. All failures are reported together,
/// each with the seed that replays it.
/// </summary>
public static class FuzzRun
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Sends <paramref name="cases"/> malformed requests to one endpoint and fails on any 5xx, hang or store change.</summary>
    /// <param name="endpoint">Names the endpoint, and seeds its inputs.</param>
    /// <param name="cases">How many cases to send.</param>
    /// <param name="make">Builds case number n from the seeded inputs.</param>
    /// <param name="send">Sends a case; the token ends the request at the timeout.</param>
    /// <param name="store">The store that must be unchanged after every case.</param>
    /// <param name="settle">Waits for work an accepted (2xx) request started off the request, so it is not taken for a change made by the next case.</param>
    public static async Task AssertNeverFailsAsync(
        string endpoint, int cases, Func<MalformedInputs, int, FuzzCase> make, Func<FuzzCase, CancellationToken, Task<HttpResponseMessage>> send,
        StoreSnapshot store, Func<Task>? settle = null)
    {
        var inputs = FuzzSeed.For(endpoint);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < cases; i++)
        {
            var fuzz = make(inputs, i);
            var before = await store.TakeAsync();
            using var timeout = new CancellationTokenSource(RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await send(fuzz, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                failures.Add(Describe(endpoint, i, fuzz, $"no answer within {RequestTimeout.TotalSeconds} s"));
                continue;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status >= 500)
                {
                    failures.Add(Describe(endpoint, i, fuzz, $"{status}: {await BodyAsync(response)}"));
                }
                else if (status is >= 400 and < 500 && await store.TakeAsync() is var after && after != before)
                {
                    failures.Add(Describe(endpoint, i, fuzz, $"refused with {status} but the store changed:\n  before {before}\n  after  {after}"));
                }
                else if (status < 300 && settle is not null)
                {
                    await settle();
                }
            }
        }

        Assert.True(failures.Count == 0,
            $"{failures.Count} of {cases} malformed requests to {endpoint} failed (replay with {FuzzSeed.Variable}={FuzzSeed.Value}; " +
            $"statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}):\n" + string.Join("\n", failures.Take(15)));
    }

    private static string Describe(string endpoint, int index, FuzzCase fuzz, string outcome)
    {
        var body = Encoding.UTF8.GetString(fuzz.Body);
        return $"- {endpoint} case {index} [{fuzz.What}] ({fuzz.ContentType ?? "no content type"}, {fuzz.Body.Length} bytes: {(body.Length > 160 ? body[..160] + "…" : body)}) → {outcome}";
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return body.Length > 300 ? body[..300] + "…" : body;
    }
}
