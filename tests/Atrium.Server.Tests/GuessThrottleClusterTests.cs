using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// The guessing throttle on two nodes sharing one Redis: misses on either node draw on one budget, a block made on
/// one node reaches the other (whose hits never ask Redis), and with Redis down each node still limits on its own.
/// Each test starts its own Redis (one stops it).
/// </summary>
public sealed class GuessThrottleClusterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Misses_on_both_nodes_draw_on_one_budget_and_the_block_reaches_the_other_node()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await using var nodes = await TwoNodes.StartAsync(redis, GuessLimitFixture.Settings(), Ct);
        var link = await nodes.Client(0).CreateLinkAsync(TestData.Url());
        var address = Visitor.NewAddress();
        var viaNode1 = new Visitor(nodes.Client(0), address);
        var viaNode2 = new Visitor(nodes.Client(1), address);

        await viaNode1.MissAsync(3);
        await viaNode2.MissAsync(GuessLimitFixture.Misses - 3);
        using (var hit = await viaNode1.FollowAsync(link.Code))
        {
            Assert.Equal(HttpStatusCode.Found, hit.StatusCode); // the budget is spent, not exceeded
        }

        // Node 2 has seen only two misses itself: only the shared count refuses this one.
        using (var refused = await viaNode2.FollowAsync(TestData.Alias("unknown")))
        {
            await Api.ReadProblemAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.True(refused.Headers.Contains("Retry-After"), "429 without a Retry-After header");
        }

        // Node 1 learns of the block through pub/sub (asynchronous, so allow it a moment) and refuses hits too.
        await Eventually.ReachesAsync(
            async () =>
            {
                using var follow = await viaNode1.FollowAsync(link.Code);
                return follow.StatusCode;
            },
            status => status == HttpStatusCode.TooManyRequests,
            "node 1 to refuse a hit of a client blocked on node 2",
            TimeSpan.FromSeconds(5));

        using var bystander = await new Visitor(nodes.Client(0), Visitor.NewAddress()).FollowAsync(link.Code);
        Assert.Equal(HttpStatusCode.Found, bystander.StatusCode);
    }

    [Fact]
    public async Task With_Redis_down_each_node_still_limits_on_its_own()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await using var nodes = await TwoNodes.StartAsync(redis, GuessLimitFixture.Settings(), Ct);
        var link = await nodes.Client(0).CreateLinkAsync(TestData.Url());
        await redis.StopAsync(Ct);
        var address = Visitor.NewAddress();

        foreach (var node in new[] { 0, 1 })
        {
            var visitor = new Visitor(nodes.Client(node), address);
            await visitor.MissAsync(GuessLimitFixture.Misses);
            using var refused = await visitor.FollowAsync(TestData.Alias("unknown"));
            await Api.ReadProblemAsync(refused, HttpStatusCode.TooManyRequests);
            using var refusedHit = await visitor.FollowAsync(link.Code);
            Assert.Equal(HttpStatusCode.TooManyRequests, refusedHit.StatusCode);
        }
    }
}
