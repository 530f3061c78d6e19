using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Atrium.Gateway.Tests;

public sealed class NoRetryTests
{
    /// <summary>
    /// Round robin over a node that dies mid-request and a real node: a POST that the broken node swallowed comes
    /// back to the client as 502 and is never re-sent to the healthy node (the link it would have created does not
    /// exist there). The passive check is set high so the broken node stays in rotation for the whole test.
    /// </summary>
    [Fact]
    public async Task A_post_that_fails_mid_request_is_not_retried_on_another_node()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broken = new FailingDestination();
        await using var cluster = await TestCluster.StartAsync(
            1,
            ct,
            new Dictionary<string, string> { ["Gateway:LoadBalancing"] = "RoundRobin", ["Gateway:PassiveFailures"] = "1000" },
            [broken.Address]);
        using var client = cluster.CreateClient();
        using var node = cluster.Nodes[0].CreateClient();
        var run = Guid.NewGuid().ToString("N")[..8];

        var failed = new List<string>();
        var created = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var alias = $"noretry-{run}-{i}";
            using var response = await client.PostAsJsonAsync(
                new Uri("/api/v1/links", UriKind.Relative), new { url = "https://example.com/once", alias }, ct);
            (response.StatusCode == HttpStatusCode.Created ? created : failed).Add(alias);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadGateway, $"{alias}: {response.StatusCode}");
        }

        Assert.NotEmpty(failed);
        Assert.NotEmpty(created);
        Assert.Equal(failed.Count, broken.UnsafeRequests); // each failed POST reached the broken node exactly once
        foreach (var alias in failed)
        {
            using var response = await node.GetAsync(new Uri("/" + alias, UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // ... and never the healthy one
        }

        foreach (var alias in created)
        {
            using var response = await node.GetAsync(new Uri("/" + alias, UriKind.Relative), ct);
            Assert.True(response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found, $"{alias}: {response.StatusCode}");
        }
    }
}
