using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProcurementBot.BotFramework.Pacing;

namespace ProcurementBot.Tests.BotFramework;

/// <summary>
/// The connector pacer on a test clock moved in 1 ms steps: every window of Teams' published limits holds
/// exactly, and is used up to its limit. Times are milliseconds since the start.
/// </summary>
public sealed class PacingTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly List<ConnectorPacer> _pacers = [];

    public void Dispose()
    {
        foreach (var pacer in _pacers)
        {
            pacer.Dispose();
        }
    }

    [Fact]
    public void One_conversation_gets_7_calls_in_a_second_8_in_two_seconds_and_60_in_thirty()
    {
        var pacer = Pacer();

        var at = Run(pacer, Enumerable.Repeat("a", 130).ToList(), TimeSpan.FromSeconds(61));

        Assert.Equal(7, at.Count(t => t < 1000));
        Assert.Equal(8, at.Count(t => t < 2000));
        Assert.Equal(60, at.Count(t => t < 30_000));
        Assert.Equal(120, at.Count(t => t < 60_000));
        Assert.Equal(30_000, at[60]); // the 61st waits until the first has left the 30-second window
        AssertWindow(at, 1000, 7);
        AssertWindow(at, 2000, 8);
        AssertWindow(at, 30_000, 60);
    }

    [Fact]
    public void One_conversation_gets_1800_calls_in_an_hour_and_the_next_when_the_first_leaves_it()
    {
        var pacer = Pacer();

        var at = Run(pacer, Enumerable.Repeat("a", 1802).ToList(), TimeSpan.FromHours(1.01), inOrder: true);

        Assert.Equal(1800, at.Count(t => t < 3_600_000));
        Assert.Equal(3_600_000, at[1800]);
        AssertWindow(at, 3_600_000, 1800);
        AssertWindow(at, 30_000, 60);
    }

    [Fact]
    public void The_app_gets_50_calls_a_second_across_conversations()
    {
        var pacer = Pacer();

        var at = Run(pacer, Enumerable.Range(0, 300).Select(i => $"c{i}").ToList(), TimeSpan.FromSeconds(7));

        Assert.Equal(50, at.Count(t => t < 1000));
        Assert.Equal(300, at.Count(t => t < 6000));
        Assert.Equal(5000, at.Max());
        AssertWindow(at, 1000, 50);
    }

    [Fact]
    public void Calls_outside_any_conversation_count_against_the_app_only()
    {
        var pacer = Pacer();

        var at = Run(pacer, Enumerable.Repeat<string?>(null, 60).ToList(), TimeSpan.FromSeconds(2));

        Assert.Equal(50, at.Count(t => t == 0));
        Assert.Equal(10, at.Count(t => t == 1000));
    }

    [Fact]
    public void A_margin_widens_every_window()
    {
        var pacer = Pacer(o => o.Margin = TimeSpan.FromMilliseconds(20));

        var at = Run(pacer, Enumerable.Repeat("a", 9).ToList(), TimeSpan.FromSeconds(3));

        Assert.Equal(1020, at[7]);
        Assert.Equal(2020, at[8]);
    }

    [Fact]
    public void A_full_conversation_does_not_hold_up_the_others()
    {
        var pacer = Pacer();
        var calls = Enumerable.Repeat("busy", 20).Append("quiet").ToList();

        var at = Run(pacer, calls, TimeSpan.FromSeconds(1));

        Assert.Equal(0, at[^1]);
        Assert.Equal(7, at.Count(t => t == 0) - 1);
    }

    [Fact]
    public void Waiting_callers_are_let_through_in_the_order_they_came()
    {
        var pacer = Pacer();

        var at = Run(pacer, Enumerable.Range(0, 200).Select(i => $"c{i}").ToList(), TimeSpan.FromSeconds(4));

        Assert.Equal(at.Order(), at);
        Assert.Equal([0, 1000, 2000, 3000], at.Distinct());
    }

    [Fact]
    public void Senders_that_always_have_calls_waiting_share_the_app_limit_evenly()
    {
        var pacer = Pacer();
        const int senders = 20, inFlight = 3;
        var counts = new int[senders];
        var turns = Enumerable.Range(0, senders * inFlight).Select(i => pacer.WaitTurnAsync($"c{i % senders}", default)).ToArray();

        // Each sender keeps three calls waiting, asking again as soon as one is let through.
        for (var ms = 0; ms < 10_000; ms++)
        {
            for (var i = 0; i < turns.Length; i++)
            {
                if (turns[i].IsCompleted)
                {
                    counts[i % senders]++;
                    turns[i] = pacer.WaitTurnAsync($"c{i % senders}", default);
                }
            }

            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(500, counts.Sum()); // 50/s for 10 s
        Assert.True(counts.Max() - counts.Min() <= inFlight, string.Join(", ", counts));
    }

    [Fact]
    public async Task Every_window_holds_with_32_senders_on_their_own_threads()
    {
        var pacer = Pacer();
        const int senders = 32, callsEach = 10;
        var grants = new List<(int Sender, double At)>();
        var finished = 0;
        var tasks = Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            for (var call = 0; call < callsEach; call++)
            {
                await pacer.WaitTurnAsync(sender % 2 == 0 ? "shared" : $"c{sender}", default);
                lock (grants)
                {
                    grants.Add((sender, Elapsed()));
                }
            }

            Interlocked.Increment(ref finished);
        })).ToArray();

        // The clock moves only once every sender is waiting or done, so each grant is recorded at the time it was made.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref finished) < senders && DateTime.UtcNow < deadline)
        {
            if (pacer.Waiting + Volatile.Read(ref finished) == senders)
            {
                _clock.Advance(TimeSpan.FromMilliseconds(1));
            }
            else
            {
                Thread.Yield();
            }
        }

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(senders * callsEach, grants.Count);
        var all = grants.Select(g => g.At).ToList();
        AssertWindow(all, 1000, 50);
        var shared = grants.Where(g => g.Sender % 2 == 0).Select(g => g.At).ToList();
        AssertWindow(shared, 1000, 7);
        AssertWindow(shared, 2000, 8);
        AssertWindow(shared, 30_000, 60);

        // 160 calls to one conversation go 60 per 30 s; the other conversations are done long before.
        Assert.Equal(60, shared.Count(t => t < 30_000));
        Assert.Equal(120, shared.Count(t => t < 60_000));
        Assert.True(grants.Where(g => g.Sender % 2 == 1).Max(g => g.At) < 5000);
    }

    [Fact]
    public void A_conversation_idle_for_the_longest_window_is_forgotten()
    {
        var pacer = Pacer();
        Assert.True(pacer.WaitTurnAsync("early", default).IsCompleted);
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True(pacer.WaitTurnAsync("later", default).IsCompleted);
        Assert.Equal(2, pacer.TrackedConversations);

        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.True(pacer.WaitTurnAsync("new", default).IsCompleted);

        Assert.Equal(2, pacer.TrackedConversations); // "early" is gone; "later" called within the hour and stays
        _clock.Advance(TimeSpan.FromMinutes(61));
        Assert.True(pacer.WaitTurnAsync("newer", default).IsCompleted);
        Assert.Equal(1, pacer.TrackedConversations);
    }

    [Fact]
    public void Memory_follows_the_conversations_of_the_last_hour_not_all_conversations_ever()
    {
        var pacer = Pacer(o => o.AppPerSecond = 100_000);
        for (var hour = 0; hour < 3; hour++)
        {
            for (var i = 0; i < 10_000; i++)
            {
                Assert.True(pacer.WaitTurnAsync($"h{hour}-c{i}", default).IsCompleted);
            }

            _clock.Advance(TimeSpan.FromMinutes(61));
        }

        Assert.True(pacer.WaitTurnAsync("last", default).IsCompleted);
        Assert.Equal(1, pacer.TrackedConversations);
    }

    [Fact]
    public void A_hold_after_429_stops_that_conversation_only_until_its_Retry_After()
    {
        var pacer = Pacer();
        Assert.True(pacer.WaitTurnAsync("a", default).IsCompleted);

        pacer.HoldBack("a", TimeSpan.FromSeconds(3));
        var at = Run(pacer, ["a", "a", "b"], TimeSpan.FromSeconds(4));

        Assert.Equal([3000, 3000, 0], at);
    }

    [Fact]
    public void A_hold_on_a_call_outside_any_conversation_stops_the_whole_app()
    {
        var pacer = Pacer();

        pacer.HoldBack(null, TimeSpan.FromSeconds(2));
        var at = Run(pacer, ["a", null], TimeSpan.FromSeconds(3));

        Assert.Equal([2000, 2000], at);
    }

    [Fact]
    public void A_cancelled_wait_leaves_the_queue_and_frees_its_turn()
    {
        var pacer = Pacer();
        for (var i = 0; i < 7; i++)
        {
            Assert.True(pacer.WaitTurnAsync("a", default).IsCompleted);
        }

        using var cancel = new CancellationTokenSource();
        var cancelled = pacer.WaitTurnAsync("a", cancel.Token);
        cancel.Cancel();

        Assert.True(cancelled.IsCanceled);
        Assert.Equal(0, pacer.Waiting);
    }

    [Theory]
    [InlineData(1, new[] { 50 })]
    [InlineData(2, new[] { 25, 25 })]
    [InlineData(3, new[] { 17, 17, 16 })]
    [InlineData(7, new[] { 8, 7, 7, 7, 7, 7, 7 })]
    public void Live_instances_split_the_app_limit_and_their_shares_add_up_to_it(int instances, int[] shares)
    {
        for (var rank = 0; rank < instances; rank++)
        {
            var pacer = Pacer();
            pacer.SetInstances(rank, instances);
            Assert.Equal(shares[rank], pacer.AppShare);
        }

        Assert.Equal(50, shares.Sum());
    }

    [Fact]
    public void An_instance_with_half_the_share_sends_half_as_fast()
    {
        var pacer = Pacer();
        pacer.SetInstances(1, 2);

        var at = Run(pacer, Enumerable.Range(0, 100).Select(i => $"c{i}").ToList(), TimeSpan.FromSeconds(5));

        Assert.Equal(25, at.Count(t => t < 1000));
        Assert.Equal(3000, at.Max());
        AssertWindow(at, 1000, 25);
    }

    [Fact]
    public void The_conversation_of_a_connector_url_is_its_host_and_id()
    {
        Assert.Equal("smba.trafficmanager.net/a%3A1xyz",
            ConnectorPacingHandler.ConversationOf(new Uri("https://smba.trafficmanager.net/teams/v3/conversations/a%3A1xyz/activities/123")));
        Assert.Equal("localhost/19%3Aabc%40thread.tacv2",
            ConnectorPacingHandler.ConversationOf(new Uri("http://localhost:5000/v3/conversations/19%3Aabc%40thread.tacv2/members/29%3A1")));
        Assert.Null(ConnectorPacingHandler.ConversationOf(new Uri("https://smba.trafficmanager.net/teams/v3/conversations")));
    }

    private ConnectorPacer Pacer(Action<PacingOptions>? configure = null)
    {
        var options = new PacingOptions { Margin = TimeSpan.Zero };
        configure?.Invoke(options);
        var pacer = new ConnectorPacer(_clock, Options.Create(options));
        _pacers.Add(pacer);
        return pacer;
    }

    private double Elapsed() => (_clock.GetUtcNow() - Start).TotalMilliseconds;

    /// <summary>
    /// Asks for a turn for each call at once (in list order), then moves the clock in 1 ms steps; returns when
    /// each call was let through (ms), or infinity for one still waiting. <paramref name="inOrder"/>: calls complete in
    /// list order (one conversation), so only the first waiting one needs looking at.
    /// </summary>
    private List<double> Run(ConnectorPacer pacer, IReadOnlyList<string?> conversations, TimeSpan duration, bool inOrder = false)
    {
        var offset = Elapsed();
        var tasks = conversations.Select(c => pacer.WaitTurnAsync(c, default)).ToList();
        var at = Enumerable.Repeat(double.PositiveInfinity, tasks.Count).ToList();
        var pending = Enumerable.Range(0, tasks.Count).ToList();
        var first = 0;
        void Observe()
        {
            if (inOrder)
            {
                for (; first < tasks.Count && tasks[first].IsCompleted; first++)
                {
                    at[first] = Elapsed() - offset;
                }

                return;
            }

            pending.RemoveAll(i =>
            {
                if (!tasks[i].IsCompleted)
                {
                    return false;
                }

                at[i] = Elapsed() - offset;
                return true;
            });
        }

        Observe();
        for (var step = TimeSpan.Zero; step < duration && (inOrder ? first < tasks.Count : pending.Count > 0); step += TimeSpan.FromMilliseconds(1))
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Observe();
        }

        return at;
    }

    /// <summary>No span of <paramref name="windowMs"/> holds more than <paramref name="limit"/> of the times, and one holds exactly that many.</summary>
    private static void AssertWindow(IEnumerable<double> times, double windowMs, int limit)
    {
        var sorted = times.Where(double.IsFinite).Order().ToList();
        var most = 0;
        for (int from = 0, to = 0; to < sorted.Count; to++)
        {
            while (sorted[to] - sorted[from] >= windowMs)
            {
                from++;
            }

            most = Math.Max(most, to - from + 1);
        }

        Assert.Equal(limit, most);
    }
}
