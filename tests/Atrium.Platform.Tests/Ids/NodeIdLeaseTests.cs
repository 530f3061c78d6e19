using Atrium.Platform.Ids;
using Atrium.Platform.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Atrium.Testing;

namespace Atrium.Platform.Tests.Ids;

public sealed class NodeIdLeaseTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Creates the schema once, so that later hosts start on a migrated database.</summary>
    private async Task MigrateAsync()
    {
        await using var first = await PlatformHost.StartAsync(_dir.Path);
    }

    [Fact]
    public async Task Hosts_on_the_same_database_get_different_node_ids()
    {
        await MigrateAsync();
        var hosts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PlatformHost.StartAsync(_dir.Path))));
        try
        {
            var nodes = hosts.Select(h => h.Lease.NodeId).ToList();
            Assert.Equal(nodes.Count, nodes.Distinct().Count());
            Assert.All(nodes, n => Assert.InRange(n, 0, SnowflakeIds.MaxNode));
            Assert.Equal(4L, await hosts[0].ScalarAsync<long>("SELECT COUNT(*) FROM platform_nodes"));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_stopped_host_hands_its_node_id_only_to_a_successor_whose_clock_is_past_its_last_id()
    {
        await MigrateAsync();
        var start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start);
        var first = await PlatformHost.StartAsync(_dir.Path, clock);
        var released = first.Lease.NodeId;
        var ids = first.Get<SnowflakeIds>();
        var lastId = 0L;
        for (var i = 0; i < 100; i++)
        {
            lastId = ids.Next();
        }

        await first.StopAsync();
        await first.DisposeAsync();

        // A successor whose clock is 5 s behind would issue ids the first host may already have issued: it gets another node id.
        await using (var behind = await PlatformHost.StartAsync(_dir.Path, new FakeTimeProvider(start - TimeSpan.FromSeconds(5))))
        {
            Assert.NotEqual(released, behind.Lease.NodeId);
            await behind.StopAsync();
        }

        // A successor whose clock is past the first host's last id takes it, and its ids come after the first host's.
        await using var after = await PlatformHost.StartAsync(_dir.Path, new FakeTimeProvider(start + TimeSpan.FromSeconds(1)));
        Assert.Equal(released, after.Lease.NodeId);
        Assert.True(after.Get<SnowflakeIds>().Next() > lastId);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_a_live_one_is_not()
    {
        await MigrateAsync();
        await using (var writer = await PlatformHost.StartAsync(_dir.Path))
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await writer.StopAsync(); // releases its own node id; only the rows below remain
            await writer.ExecuteAsync(
                """
                DELETE FROM platform_nodes;
                INSERT INTO platform_nodes (node_id, holder, expires_at) VALUES (0, 'live-elsewhere', @live), (1, 'crashed-long-ago', @expired);
                """,
                new { live = now + 3_600_000, expired = now - 1 });
        }

        await using var host = await PlatformHost.StartAsync(_dir.Path);

        Assert.Equal(1, host.Lease.NodeId);
        Assert.Equal("live-elsewhere", await host.ScalarAsync<string>("SELECT holder FROM platform_nodes WHERE node_id = 0"));
        Assert.NotEqual("crashed-long-ago", await host.ScalarAsync<string>("SELECT holder FROM platform_nodes WHERE node_id = 1"));
    }

    [Fact]
    public async Task A_host_whose_lease_expired_and_was_taken_leases_a_new_node_id()
    {
        await MigrateAsync();
        var start = DateTimeOffset.UtcNow;
        var pausedClock = new FakeTimeProvider(start);
        await using var paused = await PlatformHost.StartAsync(_dir.Path, pausedClock);
        var lostNode = paused.Lease.NodeId;

        // Another process, whose clock says the first one's lease ran out, takes the same node id.
        var laterClock = new FakeTimeProvider(start + NodeIdLease.Ttl + TimeSpan.FromSeconds(1));
        await using var taker = await PlatformHost.StartAsync(_dir.Path, laterClock);
        Assert.Equal(lostNode, taker.Lease.NodeId);

        // The paused process wakes up: its next renewal finds the lease gone and leases another id.
        for (var tick = 0; tick < 5 && paused.Lease.NodeId == lostNode; tick++)
        {
            pausedClock.Advance(NodeIdLease.Ttl / 3);
            var deadline = DateTime.UtcNow.AddSeconds(1);
            while (paused.Lease.NodeId == lostNode && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }

        Assert.NotEqual(lostNode, paused.Lease.NodeId);
        Assert.NotEqual(taker.Lease.NodeId, paused.Lease.NodeId);
        var id = paused.Get<SnowflakeIds>().Next();
        Assert.Equal(paused.Lease.NodeId, (int)((id >> SnowflakeIds.SequenceBits) & SnowflakeIds.MaxNode));
    }

    [Fact]
    public async Task A_process_paused_past_its_lease_issues_no_id_under_the_node_id_another_process_took()
    {
        await MigrateAsync();
        var start = DateTimeOffset.UtcNow;
        var pausedClock = new FakeTimeProvider(start);
        await using var paused = await PlatformHost.StartAsync(_dir.Path, pausedClock);
        var node = paused.Lease.NodeId;

        // The process is frozen for longer than the TTL (VM suspended, SIGSTOP, a very long GC pause):
        // on waking its wall clock has jumped, and its renewal timer has not run yet.
        var resumedAt = start + NodeIdLease.Ttl + TimeSpan.FromSeconds(1);
        pausedClock.AdjustTime(resumedAt); // moves the clock without firing timers
        await using var taker = await PlatformHost.StartAsync(_dir.Path, new FakeTimeProvider(resumedAt));
        Assert.Equal(node, taker.Lease.NodeId);

        // A request reaches the woken process before its renewal does. Refusing to issue an id is
        // acceptable; issuing one under the node id that now belongs to the other process is not.
        long? fromPaused = null;
        try
        {
            fromPaused = paused.Get<SnowflakeIds>().Next();
        }
        catch (InvalidOperationException)
        {
        }

        var fromTaker = taker.Get<SnowflakeIds>().Next();
        Assert.NotEqual(fromTaker, fromPaused);
        if (fromPaused is long id)
        {
            Assert.NotEqual(node, (int)((id >> SnowflakeIds.SequenceBits) & SnowflakeIds.MaxNode));
        }
    }

    [Fact]
    public async Task A_live_lease_is_renewed_before_it_expires()
    {
        await MigrateAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await PlatformHost.StartAsync(_dir.Path, clock);
        var node = host.Lease.NodeId;
        var firstExpiry = await host.ScalarAsync<long>("SELECT expires_at FROM platform_nodes WHERE node_id = @node", new { node });

        await Eventually.HoldsAsync(async () =>
        {
            clock.Advance(NodeIdLease.Ttl / 3);
            return await host.ScalarAsync<long>("SELECT expires_at FROM platform_nodes WHERE node_id = @node", new { node }) > firstExpiry;
        }, "the lease's expiry moved forward");
        Assert.Equal(node, host.Lease.NodeId);
    }
}
