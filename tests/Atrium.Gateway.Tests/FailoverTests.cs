using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit;

namespace Atrium.Gateway.Tests;

public sealed class FailoverTests
{
    [Fact]
    public async Task A_killed_node_is_taken_out_of_rotation_and_requests_keep_succeeding()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(3, ct);
        using var client = cluster.CreateClient();
        await cluster.Nodes[1].KillAsync();

        // GETs that meet the dead node are sent again to a live one (SafeRetryTests); the passive check (3 failures in
        // a row) or the active one (/health every second here) takes the node out within seconds.
        var clock = Stopwatch.StartNew();
        var inARow = 0;
        while (inARow < 60)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the gateway kept sending requests to the dead node");
            using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative), ct);
            inARow = response.StatusCode == HttpStatusCode.OK ? inARow + 1 : 0;
        }

        using var health = await client.GetAsync(new Uri("/gateway/health", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var view = JsonDocument.Parse(await health.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal(2, view.GetProperty("available").GetInt32());
        var node2 = view.GetProperty("destinations").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "node2");
        Assert.True(
            node2.GetProperty("active").GetString() == "Unhealthy" || node2.GetProperty("passive").GetString() == "Unhealthy",
            node2.ToString());

        // And it stays out: every further request succeeds.
        for (var i = 0; i < 60; i++)
        {
            using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
