using Yarp.ReverseProxy;

namespace Atrium.Gateway;

/// <summary>The gateway's own <c>GET /gateway/health</c>: 200 while at least one server is available, else 503.</summary>
internal static class GatewayHealth
{
    public static IResult Get(IProxyStateLookup proxy)
    {
        if (!proxy.TryGetCluster(ProxyConfiguration.ClusterId, out var cluster))
        {
            return TypedResults.Problem("The cluster is not configured.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var destinations = cluster.Destinations.Values
            .OrderBy(d => d.DestinationId, StringComparer.Ordinal)
            .Select(d => new DestinationHealthView(
                d.DestinationId,
                d.Model.Config.Address,
                d.Health.Active.ToString(),
                d.Health.Passive.ToString(),
                d.ConcurrentRequestCount))
            .ToList();
        var available = cluster.DestinationsState.AvailableDestinations.Count;
        var body = new GatewayHealthView(available > 0 ? "Healthy" : "Unhealthy", available, destinations);
        return available > 0 ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

internal sealed record GatewayHealthView(string Status, int Available, IReadOnlyList<DestinationHealthView> Destinations);

internal sealed record DestinationHealthView(string Id, string Address, string Active, string Passive, int ConcurrentRequests);
