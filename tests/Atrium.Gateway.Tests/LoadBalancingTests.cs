using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Atrium.Gateway.Tests;

public sealed class LoadBalancingTests
{
    [Fact]
    public async Task Requests_are_spread_over_every_node_and_each_is_served_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(3, ct);
        using var client = cluster.CreateClient();
        const int Requests = 90;

        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The nodes' own metrics: every node served some, and together exactly the requests sent (no duplicates).
        long[] counts = [];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            counts = await Task.WhenAll(cluster.Nodes.Select(async node =>
            {
                using var direct = node.CreateClient();
                return await NodeMetrics.RequestsAsync(direct, "/alive", ct);
            }));
            if (counts.Sum() >= Requests)
            {
                break;
            }

            await Task.Delay(250, ct); // the exporter caches a scrape for a moment
        }

        Assert.Equal(Requests, counts.Sum());
        Assert.All(counts, count => Assert.True(count > 0, $"a node got no requests: {string.Join(", ", counts)}"));
    }

    [Fact]
    public async Task A_link_created_through_the_gateway_resolves_through_it_and_directly_on_every_node()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(3, ct);
        using var client = cluster.CreateClient();

        using var created = await client.PostAsJsonAsync(new Uri("/api/v1/links", UriKind.Relative), new { url = "https://example.com/through-the-gateway" }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(ct);
        var code = body.GetProperty("code").GetString()!;

        // The server saw the gateway's X-Forwarded-Host (Atrium:TrustedProxies defaults to loopback): the short URL
        // names the gateway, not the node that happened to serve the request.
        Assert.StartsWith(cluster.GatewayAddress.ToString(), body.GetProperty("shortUrl").GetString(), StringComparison.Ordinal);

        using var viaGateway = await client.GetAsync(new Uri("/" + code, UriKind.Relative), ct);
        Assert.True(viaGateway.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found, $"got {viaGateway.StatusCode}");
        Assert.Equal("https://example.com/through-the-gateway", viaGateway.Headers.Location?.ToString());

        foreach (var node in cluster.Nodes)
        {
            using var direct = node.CreateClient();
            using var response = await direct.GetAsync(new Uri("/" + code, UriKind.Relative), ct);
            Assert.Equal("https://example.com/through-the-gateway", response.Headers.Location?.ToString());
        }
    }
}
