using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Testing;

namespace Atrium.Faults.Tests.Harness;

/// <summary>What the gateway says about its servers (<c>GET /gateway/health</c>).</summary>
internal static class GatewayView
{
    /// <summary>The destination ids the gateway routes to now (active and passive health both healthy or unknown).</summary>
    public static async Task<IReadOnlyList<string>> AvailableAsync(AppProcess gateway, CancellationToken cancellationToken)
    {
        using var client = gateway.CreateClient(TimeSpan.FromSeconds(5));
        using var response = await client.GetAsync(new Uri("/gateway/health", UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return
        [
            .. body.GetProperty("destinations").EnumerateArray()
                .Where(d => d.GetProperty("active").GetString() != "Unhealthy" && d.GetProperty("passive").GetString() != "Unhealthy")
                .Select(d => d.GetProperty("id").GetString()!),
        ];
    }

    /// <summary>Requests (WebSockets included, for as long as they are open) the gateway has in flight to <paramref name="destination"/>.</summary>
    public static async Task<int> ConcurrentRequestsAsync(AppProcess gateway, string destination, CancellationToken cancellationToken)
    {
        using var client = gateway.CreateClient(TimeSpan.FromSeconds(5));
        using var response = await client.GetAsync(new Uri("/gateway/health", UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("destinations").EnumerateArray()
            .Where(d => d.GetProperty("id").GetString() == destination)
            .Select(d => d.GetProperty("concurrentRequests").GetInt32())
            .FirstOrDefault();
    }

    public static async Task WaitUntilAllAvailableAsync(AppProcess gateway, CancellationToken cancellationToken) =>
        await Eventually.HoldsAsync(
            async () => (await AvailableAsync(gateway, cancellationToken)).Count == FaultCluster.NodeCount,
            "the gateway routes to every node again",
            TimeSpan.FromSeconds(60));
}
