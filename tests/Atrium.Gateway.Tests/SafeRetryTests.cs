using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Atrium.Gateway.Tests;

public sealed class SafeRetryTests
{
    /// <summary>
    /// Round robin over two real servers, one of them killed (SIGKILL: its port refuses connections) and kept in
    /// rotation for the whole test (passive check set high, active probes an hour apart), so every other request is
    /// sent to the dead one first. Every GET and HEAD is answered by the live server; a POST that met the dead one is a
    /// 502 and was never sent to the live one (the link it would have created does not exist there).
    /// </summary>
    [Fact]
    public async Task Gets_and_heads_sent_to_a_killed_node_are_answered_by_the_other_but_a_post_is_not_retried()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(
            2,
            ct,
            new Dictionary<string, string>
            {
                ["Gateway:LoadBalancing"] = "RoundRobin",
                ["Gateway:PassiveFailures"] = "1000",
                ["Gateway:HealthCheckInterval"] = "01:00:00",
            });
        using var client = cluster.CreateClient();
        using var created = await client.PostAsJsonAsync(new Uri("/api/v1/links", UriKind.Relative), new { url = "https://example.com/retried" }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("code").GetString()!;

        await cluster.Nodes[1].KillAsync();

        for (var i = 0; i < 20; i++)
        {
            using var get = await client.GetAsync(new Uri("/" + code, UriKind.Relative), ct);
            Assert.True(get.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found, $"GET {i}: {get.StatusCode}");
            Assert.Equal("https://example.com/retried", get.Headers.Location?.ToString());

            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri("/" + code, UriKind.Relative)), ct);
            Assert.True(head.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found, $"HEAD {i}: {head.StatusCode}");

            using var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        var run = Guid.NewGuid().ToString("N")[..8];
        var failed = new List<string>();
        var stored = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var alias = $"retry-{run}-{i}";
            using var response = await client.PostAsJsonAsync(
                new Uri("/api/v1/links", UriKind.Relative), new { url = "https://example.com/once", alias }, ct);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadGateway, $"{alias}: {response.StatusCode}");
            (response.StatusCode == HttpStatusCode.Created ? stored : failed).Add(alias);
        }

        Assert.NotEmpty(failed); // round robin sent some POSTs to the dead server ...
        using var live = cluster.Nodes[0].CreateClient();
        foreach (var alias in failed)
        {
            using var response = await live.GetAsync(new Uri("/" + alias, UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // ... and never sent them again to the live one
        }

        foreach (var alias in stored)
        {
            using var response = await live.GetAsync(new Uri("/" + alias, UriKind.Relative), ct);
            Assert.True(response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found, $"{alias}: {response.StatusCode}");
        }

        // The gateway counted what it retried: about half of the 60 safe requests met the dead server first.
        var retries = await GatewayRetriesAsync(client, ct);
        Assert.InRange(retries, 20, 60);
    }

    /// <summary>The gateway's own <c>atrium_gateway_retries_total</c> (its <c>/gateway/metrics</c> scrape).</summary>
    private static async Task<long> GatewayRetriesAsync(HttpClient gateway, CancellationToken cancellationToken)
    {
        var text = await gateway.GetStringAsync(new Uri("/gateway/metrics", UriKind.Relative), cancellationToken);
        return text.Split('\n')
            .Where(line => line.StartsWith("atrium_gateway_retries_total", StringComparison.Ordinal))
            .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
