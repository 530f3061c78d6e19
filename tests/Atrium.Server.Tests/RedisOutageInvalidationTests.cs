using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// The headline of issue 13's cache items: a link disabled while Redis was away must not come back from the Redis
/// L2 once Redis returns. Redis here goes away with its data and comes back with it (a snapshot, then a kill, then a
/// start on the same directory): what a persistent Redis, or one cut off by the network, does. Two nodes, one Redis
/// of the test's own; both shapes.
/// </summary>
public sealed class RedisOutageInvalidationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_link_disabled_while_Redis_is_down_is_served_by_no_node_once_Redis_is_back()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await using var cluster = await TwoNodes.StartAsync(redis, new Dictionary<string, string?>(), Ct);
        var node1 = cluster.Client(0);
        var node2 = cluster.Client(1);
        var link = await node1.CreateLinkAsync(TestData.Url());
        var entry = (RedisKey)$"atrium:cache:links:link:{link.Code}";

        // Both nodes hold the live link in their L1, and Redis holds it as the L2 entry.
        foreach (var node in new[] { node2, node1 })
        {
            using var warm = await node.GetPathAsync($"/{link.Code}");
            Assert.Equal(HttpStatusCode.Found, warm.StatusCode);
        }

        using (var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true"))
        {
            Assert.True(await admin.GetDatabase().KeyExistsAsync(entry), "the link is not in the Redis L2");
            await admin.GetDatabase().ExecuteAsync("SAVE"); // a snapshot: the restart below brings the entry back
        }

        await redis.StopAsync(Ct);
        using (var disable = await node1.DeletePathAsync($"/api/v1/links/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode); // committed; Redis could not be told
        }

        await redis.StartAsync(Ct);
        using (var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            Assert.True(await admin.GetDatabase().KeyExistsAsync(entry), "Redis did not come back with its data: no fault to test");
        }

        // Within the bound (DESIGN.md §4: a retry interval after Redis is reachable again, far below the L1 and L2
        // lifetimes, which is all that ended the staleness before) neither node serves the link any more...
        await Eventually.ReachesAsync(
            async () => (await StatusAsync(node1, link.Code), await StatusAsync(node2, link.Code)),
            statuses => statuses == (HttpStatusCode.Gone, HttpStatusCode.Gone),
            "both nodes to answer 410 for a link disabled while Redis was down",
            TimeSpan.FromSeconds(30));

        // ...and none serves it again.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Gone, await StatusAsync(node1, link.Code));
            Assert.Equal(HttpStatusCode.Gone, await StatusAsync(node2, link.Code));
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient node, string code)
    {
        using var response = await node.GetPathAsync($"/{code}");
        return response.StatusCode;
    }
}
