using System.Globalization;

namespace Atrium.Gateway.Tests;

/// <summary>Reads a node's own count of requests to a route from its Prometheus scrape (<c>/metrics</c>).</summary>
internal static class NodeMetrics
{
    public static async Task<long> RequestsAsync(HttpClient node, string route, CancellationToken cancellationToken)
    {
        var text = await node.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        return text.Split('\n')
            .Where(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && line.Contains($"http_route=\"{route}\"", StringComparison.Ordinal))
            .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
