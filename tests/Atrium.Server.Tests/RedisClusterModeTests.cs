using System.Net;
using Atrium.Platform.Data;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Two Atrium nodes on one database and a Redis Cluster (3 masters, 1 replica each) instead of one Redis server: the
/// shared L2, the invalidation pub/sub, the token buckets and the read-your-writes pins work as on one server.
/// One cluster for the class (a cluster has only database 0: each test starts by flushing it).
/// </summary>
public sealed class RedisClusterModeTests(RedisClusterFixture redis) : IClassFixture<RedisClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RedisCluster Cluster => redis.Cluster;

    [Fact]
    public async Task A_link_cached_in_the_cluster_resolves_on_both_nodes_and_its_delete_reaches_the_other_nodes_L1()
    {
        await Cluster.FlushAsync(Ct);
        await using var nodes = await TwoNodes.StartAsync(Cluster.ConnectionString, new Dictionary<string, string?>(), Ct);
        var node1 = nodes.Client(0);
        var node2 = nodes.Client(1);

        var link = await node1.CreateLinkAsync(new NewLink(TestData.Url(), Permanent: true));
        using (var first = await node2.GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, first.StatusCode);
            Assert.Equal(link.Url, first.Location());
        }

        await using var connection = await ConnectionMultiplexer.ConnectAsync(Cluster.ConnectionString);
        Assert.True(await connection.GetDatabase().KeyExistsAsync($"atrium:cache:links:link:{link.Code}"), "the link is not in the cluster's L2");
        using (var delete = await node1.DeletePathAsync($"/api/v1/links/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        // Node 2 holds the link in its L1: only the pub/sub message (published on one master, forwarded by the cluster
        // bus to the node node 2 subscribed on) can make it answer 410 now.
        await Eventually.ReachesAsync(
            async () =>
            {
                using var follow = await node2.GetPathAsync($"/{link.Code}");
                return follow.StatusCode;
            },
            status => status == HttpStatusCode.Gone,
            "node 2 to answer 410 for a link deleted on node 1",
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_rate_limit_holds_across_nodes()
    {
        await Cluster.FlushAsync(Ct);
        await using var nodes = await TwoNodes.StartAsync(Cluster.ConnectionString, new Dictionary<string, string?>
        {
            ["Links:CreatePerMinute"] = "1",
            ["Links:CreateBurst"] = "3",
        }, Ct);
        var node1 = nodes.Client(0);
        var node2 = nodes.Client(1);

        await node1.CreateLinkAsync(TestData.Url());
        await node1.CreateLinkAsync(TestData.Url());
        await node2.CreateLinkAsync(TestData.Url());
        using var fourth = await node2.PostLinkAsync(new NewLink(TestData.Url()));

        await Api.ReadProblemAsync(fourth, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_guessing_block_made_on_one_node_reaches_the_other()
    {
        await Cluster.FlushAsync(Ct);
        await using var nodes = await TwoNodes.StartAsync(Cluster.ConnectionString, GuessLimitFixture.Settings(), Ct);
        var link = await nodes.Client(0).CreateLinkAsync(TestData.Url());
        var address = Visitor.NewAddress();
        var viaNode1 = new Visitor(nodes.Client(0), address);
        var viaNode2 = new Visitor(nodes.Client(1), address);

        await viaNode1.MissAsync(3);
        await viaNode2.MissAsync(GuessLimitFixture.Misses - 3);
        using (var refused = await viaNode2.FollowAsync(TestData.Alias("unknown")))
        {
            await Api.ReadProblemAsync(refused, HttpStatusCode.TooManyRequests); // the shared count, in the cluster
        }

        // Node 1 learns of the block over the cluster's pub/sub and refuses hits too.
        await Eventually.ReachesAsync(
            async () =>
            {
                using var follow = await viaNode1.FollowAsync(link.Code);
                return follow.StatusCode;
            },
            status => status == HttpStatusCode.TooManyRequests,
            "node 1 to refuse a hit of a client blocked on node 2",
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_pin_set_on_one_node_holds_on_the_other()
    {
        await Cluster.FlushAsync(Ct);
        await using var nodes = await TwoNodes.StartAsync(Cluster.ConnectionString, new Dictionary<string, string?>
        {
            ["Atrium:Database:ReadYourWritesWindow"] = "00:00:30",
        }, Ct);
        var pins1 = nodes.App(0).Services.GetRequiredService<IWritePins>();
        var pins2 = nodes.App(1).Services.GetRequiredService<IWritePins>();

        // Users on different masters: the pins are spread over the cluster's slots.
        for (var user = 1_000L; user < 1_010; user++)
        {
            await pins1.PinAsync(user, Ct);
            Assert.True(await pins2.IsPinnedAsync(user, Ct));
            Assert.False(await pins2.IsPinnedAsync(user + 100, Ct));
        }
    }
}
