using Atrium.Testing.Servers;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Testing.Tests;

public sealed class RedisClusterTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_masters_with_a_replica_each_and_a_killed_master_is_replaced_by_its_replica()
    {
        await using var cluster = await RedisCluster.StartNewAsync(Cancellation);
        var nodes = await cluster.NodesAsync(Cancellation);
        Assert.Equal(RedisCluster.Masters, nodes.Count(n => n.IsMaster));
        Assert.All(nodes.Where(n => n.IsMaster), m => Assert.Single(nodes, r => r.MasterId == m.Id));

        var options = ConfigurationOptions.Parse(cluster.ConnectionString);
        options.AbortOnConnectFail = false;
        options.ReconnectRetryPolicy = new LinearRetry(200);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var database = redis.GetDatabase();
        await database.StringSetAsync("{a}kept", "on another master");
        await database.StringSetAsync("{b}lost", "on the killed master");

        // Replication is asynchronous: WAIT until the replica has it, so the kill tests failover, not a race.
        var owner = redis.GetServer(database.IdentifyEndpoint("{b}lost")!);
        Assert.Equal(1, (int)await owner.ExecuteAsync("WAIT", 1, 5000));

        var (master, replicaPort) = await cluster.KillMasterAsync("{b}lost", Cancellation);
        Assert.False(master.IsRunning);
        await cluster.WaitForPromotionAsync(replicaPort, Cancellation);

        // The replica took the slots with the data it had replicated; the client follows the MOVED redirects by itself.
        var reread = await Eventually.ReachesAsync(
            async () => (string?)await database.StringGetAsync("{b}lost"),
            value => value is not null,
            "the killed master's key read through its promoted replica",
            TimeSpan.FromSeconds(30));
        Assert.Equal("on the killed master", reread);
        Assert.Equal("on another master", (string?)await database.StringGetAsync("{a}kept"));

        await cluster.RestartAsync(master, Cancellation);
        var after = await cluster.NodesAsync(Cancellation);
        Assert.False(after.Single(n => n.Port == master.Port).IsMaster);
        Assert.True(after.Single(n => n.Port == replicaPort).IsMaster);
    }
}
