using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Two Atrium nodes on one database and one real Redis (the distributed cache shape): the L2 is shared, an
/// invalidation on one node reaches the other's L1, a Redis outage degrades to L1 + database and heals by
/// itself, and rate limits hold across nodes. Each test starts its own Redis (one stops it).
/// </summary>
public sealed class RedisClusterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_link_created_on_node_1_resolves_through_node_2_and_its_disable_reaches_node_2s_L1()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await using var cluster = await TwoNodes.StartAsync(redis, new Dictionary<string, string?>(), Ct);
        var node1 = cluster.Client(0);
        var node2 = cluster.Client(1);

        var link = await node1.CreateLinkAsync(new NewLink(TestData.Url(), Permanent: true));
        using (var first = await node2.GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, first.StatusCode);
            Assert.Equal(link.Url, first.Location());
        }

        // Node 2 loaded it from the database into its L1 and into Redis (L2), where node 1 finds it.
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.True(await connection.GetDatabase().KeyExistsAsync($"atrium:cache:links:link:{link.Code}"), "the link is not in the Redis L2");
        using (var viaNode1 = await node1.GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, viaNode1.StatusCode);
        }

        using (var delete = await node1.DeletePathAsync($"/api/v1/links/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        // Node 2 holds the link in its L1 (for up to a minute): only the pub/sub message can make it answer 410
        // now. Delivery is asynchronous, so allow it a moment — far less than the L1 lifetime.
        await Eventually.ReachesAsync(
            async () =>
            {
                using var follow = await node2.GetPathAsync($"/{link.Code}");
                return follow.StatusCode;
            },
            status => status == HttpStatusCode.Gone,
            "node 2 to answer 410 for a link disabled on node 1",
            TimeSpan.FromSeconds(3));
        using var viaNode1Again = await node1.GetPathAsync($"/{link.Code}");
        Assert.Equal(HttpStatusCode.Gone, viaNode1Again.StatusCode);
    }

    [Fact]
    public async Task With_Redis_down_redirects_and_creation_keep_working_and_the_L2_is_used_again_when_it_returns()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await using var cluster = await TwoNodes.StartAsync(redis, new Dictionary<string, string?>(), Ct);
        var node1 = cluster.Client(0);
        var node2 = cluster.Client(1);
        var before = await node1.CreateLinkAsync(TestData.Url());
        using (var warm = await node1.GetPathAsync($"/{before.Code}"))
        {
            Assert.Equal(HttpStatusCode.Found, warm.StatusCode);
        }

        await redis.StopAsync(Ct);

        // Enough calls to open the circuit; every one still answers (L1, else the database).
        for (var i = 0; i < 10; i++)
        {
            var created = await node1.CreateLinkAsync(TestData.Url());
            using var viaNode2 = await node2.GetPathAsync($"/{created.Code}");
            using var old = await node1.GetPathAsync($"/{before.Code}");
            Assert.Equal(HttpStatusCode.Found, viaNode2.StatusCode);
            Assert.Equal(created.Url, viaNode2.Location());
            Assert.Equal(HttpStatusCode.Found, old.StatusCode);
        }

        using (var health = await node1.GetPathAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode); // Redis is Degraded, not Unhealthy
            Assert.Contains("Degraded", await health.TextAsync(), StringComparison.Ordinal);
        }

        await redis.StartAsync(Ct);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

        // The node reconnects and the circuit half-opens after its break: new entries reach Redis again.
        await Eventually.ReachesAsync(
            async () =>
            {
                var created = await node1.CreateLinkAsync(TestData.Url());
                using var follow = await node1.GetPathAsync($"/{created.Code}");
                Assert.Equal(HttpStatusCode.Found, follow.StatusCode);
                return await connection.GetDatabase().KeyExistsAsync($"atrium:cache:links:link:{created.Code}");
            },
            inRedis => inRedis,
            "a resolved link to be stored in Redis again after Redis returned",
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_node_starts_and_serves_while_Redis_is_down_and_uses_it_once_it_is_up()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await redis.StopAsync(Ct);
        await using var cluster = await TwoNodes.StartAsync(redis, new Dictionary<string, string?>(), Ct);
        var node1 = cluster.Client(0);

        var link = await node1.CreateLinkAsync(TestData.Url());
        using (var follow = await cluster.Client(1).GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.Found, follow.StatusCode);
        }

        await redis.StartAsync(Ct);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await Eventually.ReachesAsync(
            async () =>
            {
                var created = await node1.CreateLinkAsync(TestData.Url());
                using var follow = await node1.GetPathAsync($"/{created.Code}");
                return await connection.GetDatabase().KeyExistsAsync($"atrium:cache:links:link:{created.Code}");
            },
            inRedis => inRedis,
            "a node started without Redis to store entries in Redis once it is up",
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_rate_limit_holds_across_nodes()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await using var cluster = await TwoNodes.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Links:CreatePerMinute"] = "1",
            ["Links:CreateBurst"] = "3",
        }, Ct);
        var node1 = cluster.Client(0);
        var node2 = cluster.Client(1);

        await node1.CreateLinkAsync(TestData.Url());
        await node1.CreateLinkAsync(TestData.Url());
        await node2.CreateLinkAsync(TestData.Url());
        using var fourth = await node2.PostLinkAsync(new NewLink(TestData.Url()));

        await Api.ReadProblemAsync(fourth, HttpStatusCode.TooManyRequests);
        Assert.True(fourth.Headers.Contains("Retry-After"), "429 without a Retry-After header");
    }
}
