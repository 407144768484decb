using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.Storage;

/// <summary>Check-ins waiting for answers come back to the sender when a reminder or their expiry is due.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task A_check_in_waiting_for_answers_is_claimed_when_its_nudge_is_due_and_keeps_its_status()
    {
        await Store.AddCheckInsAsync(
        [
            CheckInFor("nudge-now", due: T0.AddDays(-2), status: CheckInStatus.InProgress) with { NudgeAt = T0, PersonId = "msteams:1" },
            CheckInFor("nudge-later", due: T0.AddDays(-3), status: CheckInStatus.InProgress) with { NudgeAt = T0.AddMilliseconds(1) },
            CheckInFor("never-nudged", due: T0.AddDays(-4), status: CheckInStatus.InProgress),
            CheckInFor("scheduled", due: T0.AddMinutes(-1)),
        ], default);

        var claimed = await Store.ClaimDueCheckInsAsync(T0, "instance-a", T0 + Lease, 50, default);

        Assert.Equal(["scheduled", "nudge-now"], claimed.Select(c => c.Id));
        var nudged = (await Store.GetCheckInAsync("nudge-now", default))!;
        Assert.Equal((CheckInStatus.InProgress, "instance-a", (DateTimeOffset?)(T0 + Lease), claimed[1].ETag), (nudged.Status, nudged.LeaseOwner, nudged.LeaseUntil, nudged.ETag));

        // Still the person's open check-in for typed answers while the reminder is being sent.
        Assert.Equal("nudge-now", (await Store.FindOpenCheckInAsync("alice@contoso.com", "msteams:1", default))?.Id);
        var whileLeased = await Store.ClaimDueCheckInsAsync(T0 + Lease - TimeSpan.FromMilliseconds(1), "instance-b", T0 + Lease * 2, 50, default);
        Assert.Equal(["nudge-later"], whileLeased.Select(c => c.Id));
    }

    [Fact]
    public async Task A_crashed_reminders_lease_expires_and_a_moved_nudge_is_claimed_at_its_new_time()
    {
        await Store.AddCheckInsAsync([CheckInFor("PO-1", due: T0.AddDays(-2), status: CheckInStatus.InProgress) with { NudgeAt = T0 }], default);
        Assert.Single(await Store.ClaimDueCheckInsAsync(T0, "crashed", T0 + Lease, 10, default));

        var other = await ConnectAgainAsync();
        var reclaimed = Assert.Single(await other.ClaimDueCheckInsAsync(T0 + Lease, "instance-b", T0 + Lease * 2, 10, default));
        var reminded = await other.TryReplaceCheckInAsync(reclaimed with { NudgeAt = T0.AddDays(2), RemindersSent = 1, LeaseOwner = null, LeaseUntil = null }, default);

        Assert.NotNull(reminded);
        Assert.Empty(await Store.ClaimDueCheckInsAsync(T0.AddDays(2).AddMilliseconds(-1), "instance-a", T0.AddDays(3), 10, default));
        var again = Assert.Single(await Store.ClaimDueCheckInsAsync(T0.AddDays(2), "instance-a", T0.AddDays(3), 10, default));
        Assert.Equal((1, CheckInStatus.InProgress), (again.RemindersSent, again.Status));
    }

    [Fact]
    public async Task An_answered_or_expired_check_in_is_never_claimed_for_a_nudge_again()
    {
        await Store.AddCheckInsAsync(
        [
            CheckInFor("answered", due: T0.AddDays(-2), status: CheckInStatus.InProgress) with { NudgeAt = T0 },
            CheckInFor("expired", due: T0.AddDays(-2), status: CheckInStatus.InProgress) with { NudgeAt = T0 },
        ], default);
        var answered = (await Store.GetCheckInAsync("answered", default))!;
        await Store.TryReplaceCheckInAsync(answered with { Status = CheckInStatus.Completed, CompletedAt = T0.AddMinutes(-1) }, default);
        var claimed = Assert.Single(await Store.ClaimDueCheckInsAsync(T0, "instance-a", T0 + Lease, 10, default));
        Assert.Equal("expired", claimed.Id);
        await Store.TryReplaceCheckInAsync(claimed with { Status = CheckInStatus.Expired, NudgeAt = null, LeaseOwner = null, LeaseUntil = null }, default);

        Assert.Empty(await Store.ClaimDueCheckInsAsync(T0.AddDays(30), "instance-a", T0.AddDays(31), 10, default));
        Assert.Equal(CheckInStatus.Expired, (await Store.GetCheckInAsync("expired", default))!.Status);
    }

    [Fact]
    public async Task A_requesters_check_ins_can_be_limited_to_those_due_since_a_time()
    {
        await Store.AddCheckInsAsync(
        [
            CheckInFor("old", due: T0.AddDays(-10), status: CheckInStatus.Completed),
            CheckInFor("recent", due: T0.AddDays(-6), status: CheckInStatus.Completed),
            CheckInFor("open", due: T0.AddDays(-1), status: CheckInStatus.InProgress),
        ], default);

        var recent = await Store.GetCheckInsForRequesterAsync("alice@contoso.com", [CheckInStatus.Completed, CheckInStatus.InProgress], default, dueFrom: T0.AddDays(-7));

        Assert.Equal(["recent", "open"], recent.Select(c => c.Id));
        Assert.Equal(3, (await Store.GetCheckInsForRequesterAsync("alice@contoso.com", [CheckInStatus.Completed, CheckInStatus.InProgress], default)).Count);
    }

    [Fact]
    public async Task Failed_check_ins_are_listed_for_the_admins_until_retried_most_recently_due_first()
    {
        await Store.AddCheckInsAsync([CheckInFor("PO-1", due: T0), CheckInFor("PO-2/x?", due: T0.AddHours(1)), CheckInFor("PO-3", due: T0.AddHours(2))], default);
        foreach (var id in new[] { "PO-1", "PO-2/x?" })
        {
            var checkIn = (await Store.GetCheckInAsync(id, default))!;
            await Store.TryReplaceCheckInAsync(checkIn with { Status = CheckInStatus.Failed, SendAttempts = 5, LastError = $"403 for {id}" }, default);
        }

        var failed = await (await ConnectAgainAsync()).GetFailedCheckInsAsync(10, default);

        Assert.Equal(["PO-2/x?", "PO-1"], failed.Select(c => c.Id));
        Assert.Equal(("403 for PO-1", 5), (failed[1].LastError, failed[1].SendAttempts));
        Assert.Single(await Store.GetFailedCheckInsAsync(1, default));

        await Store.TryReplaceCheckInAsync(failed[0] with { Status = CheckInStatus.Scheduled, SendAttempts = 0 }, default);
        Assert.Equal(["PO-1"], (await Store.GetFailedCheckInsAsync(10, default)).Select(c => c.Id));
    }
}
