using ProcurementBot.Slack;

namespace ProcurementBot.Tests.Storage;

/// <summary>
/// The Slack inbox: what Slack was told "received" is stored once per Slack id, claimed under a lease, a person's items
/// one at a time in order, and taken over after a crash.
/// </summary>
public abstract partial class StoreContract
{
    private static long _slackSequence = 1_000;

    private static SlackItem SlackItemFor(string id, string lane, DateTimeOffset at, string payload = """{"event":{"text":"four"}}""") =>
        new(id, SlackItemKind.Event, lane, Interlocked.Increment(ref _slackSequence), payload, at) { NextAttemptAt = at };

    private static SlackItem Done(SlackItem item, DateTimeOffset at) =>
        item with { Done = true, DoneAt = at, Payload = "", LeaseOwner = null, LeaseUntil = null };

    [Fact]
    public async Task A_Slack_item_is_stored_once_per_id_whatever_the_retry_carries()
    {
        var first = SlackItemFor("event:Ev1", "U1", T0);

        Assert.True(await Store.TryAddSlackItemAsync(first, default));
        Assert.False(await Store.TryAddSlackItemAsync(first, default));
        Assert.False(await (await ConnectAgainAsync()).TryAddSlackItemAsync(SlackItemFor("event:Ev1", "U1", T0.AddMinutes(1)), default));
        Assert.False(await Store.TryAddSlackItemAsync(SlackItemFor("event:Ev1", "U-other-lane", T0), default));

        Assert.Equal(1, await Store.CountUnfinishedSlackItemsAsync(default));
        var claimed = Assert.Single(await Store.ClaimSlackItemsAsync(T0, "instance-a", T0 + Lease, 10, default));
        Assert.Equal((first.Id, first.Kind, first.Lane, first.Sequence, first.Payload, first.ReceivedAt, "instance-a", (DateTimeOffset?)(T0 + Lease)),
            (claimed.Id, claimed.Kind, claimed.Lane, claimed.Sequence, claimed.Payload, claimed.ReceivedAt, claimed.LeaseOwner, claimed.LeaseUntil));

        // Done, it is still known: a late retry is not stored again.
        Assert.NotNull(await Store.TryReplaceSlackItemAsync(Done(claimed, T0), default));
        Assert.False(await Store.TryAddSlackItemAsync(first, default));
        Assert.Equal(0, await Store.CountUnfinishedSlackItemsAsync(default));
        Assert.Empty(await Store.ClaimSlackItemsAsync(T0.AddHours(1), "instance-a", T0.AddHours(1) + Lease, 10, default));
    }

    [Fact]
    public async Task A_persons_Slack_items_are_claimed_one_at_a_time_in_order_and_other_people_in_parallel()
    {
        var four = SlackItemFor("event:Ev-four", "U1", T0);
        var yes = SlackItemFor("event:Ev-yes", "U1", T0);
        var other = SlackItemFor("event:Ev-other", "U2", T0);
        var click = SlackItemFor("action:trigger-1", "U1", T0) with { Kind = SlackItemKind.Action };
        foreach (var item in new[] { four, other, yes, click })
        {
            Assert.True(await Store.TryAddSlackItemAsync(item, default));
        }

        var first = await Store.ClaimSlackItemsAsync(T0, "instance-a", T0 + Lease, 10, default);
        Assert.Equal(["event:Ev-four", "event:Ev-other"], first.Select(i => i.Id));

        // The person's next waits while their first is worked, on this instance or any other.
        var second = await ConnectAgainAsync();
        Assert.Empty(await second.ClaimSlackItemsAsync(T0.AddSeconds(1), "instance-b", T0 + Lease, 10, default));

        Assert.NotNull(await Store.TryReplaceSlackItemAsync(Done(first[0], T0.AddSeconds(1)), default));
        Assert.Equal("event:Ev-yes", Assert.Single(await second.ClaimSlackItemsAsync(T0.AddSeconds(1), "instance-b", T0 + Lease, 10, default)).Id);
        Assert.Equal(3, await Store.CountUnfinishedSlackItemsAsync(default));
    }

    [Fact]
    public async Task A_persons_Slack_item_is_not_claimed_while_another_of_theirs_is_leased_even_one_that_sorts_later()
    {
        // "yes" reached an instance whose clock runs ahead and is being worked when "4", received earlier elsewhere, is stored.
        var yes = SlackItemFor("event:Ev-yes", "U1", T0) with { Sequence = 2_000_000 };
        var four = SlackItemFor("event:Ev-four", "U1", T0) with { Sequence = 1_999_999 };
        Assert.True(await Store.TryAddSlackItemAsync(yes, default));
        var working = Assert.Single(await Store.ClaimSlackItemsAsync(T0, "instance-a", T0 + Lease, 10, default));
        Assert.True(await Store.TryAddSlackItemAsync(four, default));

        Assert.Empty(await (await ConnectAgainAsync()).ClaimSlackItemsAsync(T0.AddSeconds(1), "instance-b", T0 + Lease, 10, default));
        Assert.NotNull(await Store.TryReplaceSlackItemAsync(Done(working, T0.AddSeconds(1)), default));
        Assert.Equal(four.Id, Assert.Single(await Store.ClaimSlackItemsAsync(T0.AddSeconds(1), "instance-b", T0 + Lease, 10, default)).Id);
    }

    [Fact]
    public async Task A_Slack_lease_that_runs_out_counts_a_lapse_and_one_given_back_does_not()
    {
        await Store.TryAddSlackItemAsync(SlackItemFor("event:Ev-lapse", "U1", T0), default);
        var first = Assert.Single(await Store.ClaimSlackItemsAsync(T0, "instance-a", T0 + Lease, 10, default));
        Assert.Equal(0, first.Lapses);

        // instance-a died holding it: the claim after its lease counts the lapse.
        var taken = Assert.Single(await Store.ClaimSlackItemsAsync(T0 + Lease, "instance-b", T0 + Lease * 2, 10, default));
        Assert.Equal(("instance-b", 1), (taken.LeaseOwner, taken.Lapses));

        // instance-b gives it back (shutting down): the next claim counts no lapse.
        Assert.NotNull(await Store.TryReplaceSlackItemAsync(taken with { LeaseOwner = null, LeaseUntil = null }, default));
        var again = Assert.Single(await Store.ClaimSlackItemsAsync(T0 + Lease, "instance-c", T0 + Lease * 3, 10, default));
        Assert.Equal(("instance-c", 1), (again.LeaseOwner, again.Lapses));
    }

    [Fact]
    public async Task A_claim_takes_at_most_max_oldest_first()
    {
        var items = Enumerable.Range(0, 5).Select(i => SlackItemFor($"event:Ev{i}", $"U{i}", T0)).ToList();
        foreach (var item in items.AsEnumerable().Reverse())
        {
            await Store.TryAddSlackItemAsync(item, default);
        }

        Assert.Equal(["event:Ev0", "event:Ev1"], (await Store.ClaimSlackItemsAsync(T0, "instance-a", T0 + Lease, 2, default)).Select(i => i.Id));
        Assert.Equal(["event:Ev2", "event:Ev3", "event:Ev4"], (await Store.ClaimSlackItemsAsync(T0, "instance-a", T0 + Lease, 10, default)).Select(i => i.Id));
    }

    [Fact]
    public async Task A_Slack_item_held_by_a_crashed_instance_is_taken_over_when_its_lease_ends_and_the_late_finish_loses()
    {
        await Store.TryAddSlackItemAsync(SlackItemFor("event:Ev1", "U1", T0), default);
        var held = Assert.Single(await Store.ClaimSlackItemsAsync(T0, "instance-a", T0 + Lease, 10, default));
        var other = await ConnectAgainAsync();

        Assert.Empty(await other.ClaimSlackItemsAsync(T0 + Lease - TimeSpan.FromMilliseconds(1), "instance-b", T0 + Lease * 2, 10, default));
        var taken = Assert.Single(await other.ClaimSlackItemsAsync(T0 + Lease, "instance-b", T0 + Lease * 2, 10, default));
        Assert.Equal(("instance-b", held.Payload), (taken.LeaseOwner, taken.Payload));

        Assert.Null(await Store.TryReplaceSlackItemAsync(Done(held, T0 + Lease), default));
        Assert.NotNull(await other.TryReplaceSlackItemAsync(Done(taken, T0 + Lease), default));
        Assert.Equal(0, await Store.CountUnfinishedSlackItemsAsync(default));
    }

    [Fact]
    public async Task A_failed_Slack_item_waits_for_its_retry_and_holds_back_only_its_own_lane()
    {
        var failing = SlackItemFor("event:Ev-fail", "U1", T0);
        var after = SlackItemFor("event:Ev-after", "U1", T0);
        var other = SlackItemFor("event:Ev-other", "U2", T0);
        foreach (var item in new[] { failing, after, other })
        {
            await Store.TryAddSlackItemAsync(item, default);
        }

        var claimed = await Store.ClaimSlackItemsAsync(T0, "instance-a", T0 + Lease, 10, default);
        var retryAt = T0.AddSeconds(30);
        Assert.NotNull(await Store.TryReplaceSlackItemAsync(
            claimed.Single(i => i.Id == failing.Id) with { Failures = 1, NextAttemptAt = retryAt, LeaseOwner = null, LeaseUntil = null, LastError = "HttpRequestException" }, default));
        Assert.NotNull(await Store.TryReplaceSlackItemAsync(Done(claimed.Single(i => i.Id == other.Id), T0), default));

        Assert.Empty(await Store.ClaimSlackItemsAsync(retryAt - TimeSpan.FromMilliseconds(1), "instance-a", retryAt + Lease, 10, default));
        var retried = Assert.Single(await Store.ClaimSlackItemsAsync(retryAt, "instance-a", retryAt + Lease, 10, default));
        Assert.Equal((failing.Id, 1, "HttpRequestException"), (retried.Id, retried.Failures, retried.LastError));

        // Set aside, it lets the lane go on.
        Assert.NotNull(await Store.TryReplaceSlackItemAsync(Done(retried, retryAt) with { SetAside = true, Failures = 2 }, default));
        Assert.Equal(after.Id, Assert.Single(await Store.ClaimSlackItemsAsync(retryAt, "instance-a", retryAt + Lease, 10, default)).Id);
    }

    [Fact]
    public async Task Two_instances_claiming_at_once_never_take_the_same_Slack_item()
    {
        for (var i = 0; i < 40; i++)
        {
            await Store.TryAddSlackItemAsync(SlackItemFor($"event:Ev{i}", $"U{i % 20}", T0), default);
        }

        var other = await ConnectAgainAsync();
        var claims = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? Store : other).ClaimSlackItemsAsync(T0, $"instance-{i}", T0 + Lease, 10, default)));

        var ids = claims.SelectMany(c => c).Select(i => i.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(20, ids.Count);
    }
}
