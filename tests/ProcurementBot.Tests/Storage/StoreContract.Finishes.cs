using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.Storage;

/// <summary>A finished check-in whose escalations and results are still to hear of it is found by the sweep, once, under a lease.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task A_finish_left_pending_is_claimed_once_under_a_lease_and_again_after_a_crash_until_cleared()
    {
        // The Cosmos adapter schedules by its own clock (the system's), so the claims happen from now on.
        var now = DateTimeOffset.UtcNow.AddSeconds(1);
        await Store.AddCheckInsAsync(
        [
            CheckInFor("pending", due: T0, status: CheckInStatus.InProgress),
            CheckInFor("announced", due: T0, status: CheckInStatus.InProgress),
            CheckInFor("open", due: T0, status: CheckInStatus.InProgress),
        ], default);
        foreach (var (id, pending) in new[] { ("pending", true), ("announced", false) })
        {
            var current = (await Store.GetCheckInAsync(id, default))!;
            Assert.NotNull(await Store.TryReplaceCheckInAsync(current with { Status = CheckInStatus.Completed, CompletedAt = T0, FinishPending = pending }, default));
        }

        var claimed = Assert.Single(await Store.ClaimPendingFinishesAsync(now, "instance-a", now + Lease, 10, default));
        Assert.Equal(("pending", CheckInStatus.Completed, "instance-a", (DateTimeOffset?)(now + Lease)), (claimed.Id, claimed.Status, claimed.LeaseOwner, claimed.LeaseUntil));
        Assert.Equal(claimed.ETag, (await Store.GetCheckInAsync("pending", default))!.ETag);

        var other = await ConnectAgainAsync();
        Assert.Empty(await other.ClaimPendingFinishesAsync(now + Lease - TimeSpan.FromMilliseconds(1), "instance-b", now + Lease * 2, 10, default));

        // instance-a died holding it: once the lease ends another instance takes it, and clears it when done.
        var reclaimed = Assert.Single(await other.ClaimPendingFinishesAsync(now + Lease, "instance-b", now + Lease * 2, 10, default));
        Assert.Null(await Store.TryReplaceCheckInAsync(claimed with { FinishPending = false, LeaseOwner = null, LeaseUntil = null }, default));
        Assert.NotNull(await other.TryReplaceCheckInAsync(reclaimed with { FinishPending = false, LeaseOwner = null, LeaseUntil = null }, default));
        Assert.Empty(await Store.ClaimPendingFinishesAsync(now + Lease * 3, "instance-a", now + Lease * 4, 10, default));
        Assert.Equal((CheckInStatus.Completed, false), ((await Store.GetCheckInAsync("pending", default))!.Status, (await Store.GetCheckInAsync("pending", default))!.FinishPending));
    }

    [Fact]
    public async Task A_finish_that_could_not_be_announced_waits_until_its_retry_time()
    {
        var now = DateTimeOffset.UtcNow.AddSeconds(1);
        await Store.AddCheckInsAsync([CheckInFor("PO-1", due: T0, status: CheckInStatus.InProgress)], default);
        var open = (await Store.GetCheckInAsync("PO-1", default))!;
        await Store.TryReplaceCheckInAsync(open with { Status = CheckInStatus.Stopped, CompletedAt = T0, FinishPending = true }, default);
        var claimed = Assert.Single(await Store.ClaimPendingFinishesAsync(now, "instance-a", now + Lease, 10, default));

        var retryAt = now + TimeSpan.FromSeconds(5);
        Assert.NotNull(await Store.TryReplaceCheckInAsync(claimed with { LeaseOwner = null, LeaseUntil = retryAt }, default));

        Assert.Empty(await Store.ClaimPendingFinishesAsync(retryAt - TimeSpan.FromMilliseconds(1), "instance-a", now + Lease, 10, default));
        Assert.Equal("PO-1", Assert.Single(await Store.ClaimPendingFinishesAsync(retryAt, "instance-a", retryAt + Lease, 10, default)).Id);
    }
}
