namespace ProcurementBot.Tests.Storage;

/// <summary>Instance heartbeats: how bot instances find out how many of them share the connector's app limit.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task Live_instances_are_those_whose_heartbeat_lasts_beyond_now_in_ordinal_order()
    {
        await Store.HeartbeatAsync("host-b/2", T0.AddSeconds(20), default);
        await Store.HeartbeatAsync("host-a/1", T0.AddSeconds(20), default);
        await Store.HeartbeatAsync("host-C/3", T0.AddSeconds(5), default);

        Assert.Equal(["host-C/3", "host-a/1", "host-b/2"], await Store.GetLiveInstancesAsync(T0, default));
        Assert.Equal(["host-a/1", "host-b/2"], await Store.GetLiveInstancesAsync(T0.AddSeconds(5), default));
        Assert.Empty(await Store.GetLiveInstancesAsync(T0.AddSeconds(20), default));
    }

    [Fact]
    public async Task A_later_heartbeat_replaces_the_earlier_one_and_one_until_now_ends_it()
    {
        await Store.HeartbeatAsync("host-a/1", T0.AddSeconds(20), default);
        await Store.HeartbeatAsync("host-a/1", T0.AddSeconds(40), default);
        Assert.Equal(["host-a/1"], await Store.GetLiveInstancesAsync(T0.AddSeconds(30), default));

        await Store.HeartbeatAsync("host-a/1", T0.AddSeconds(31), default);
        Assert.Empty(await Store.GetLiveInstancesAsync(T0.AddSeconds(31), default));
    }

    [Fact]
    public async Task Instances_on_other_clients_see_each_other()
    {
        var other = await ConnectAgainAsync();
        await Store.HeartbeatAsync("host-a/1", T0.AddSeconds(20), default);
        await other.HeartbeatAsync("host-b/2", T0.AddSeconds(20), default);

        Assert.Equal(["host-a/1", "host-b/2"], await other.GetLiveInstancesAsync(T0, default));
        Assert.Equal(["host-a/1", "host-b/2"], await Store.GetLiveInstancesAsync(T0, default));
    }
}
