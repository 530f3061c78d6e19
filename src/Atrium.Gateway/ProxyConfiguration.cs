using System.Globalization;
using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace Atrium.Gateway;

/// <summary>Turns <see cref="GatewayOptions"/> into YARP's model: one catch-all route to one cluster of Atrium servers.</summary>
internal static class ProxyConfiguration
{
    public const string ClusterId = "atrium";

    /// <summary>
    /// Everything except the gateway's own <c>/gateway/health</c> goes to the cluster. YARP's default transforms
    /// apply: X-Forwarded-For/-Proto/-Host/-Prefix are <em>set</em> (a client's own values are replaced, so they
    /// cannot be spoofed through the gateway) and the outgoing Host is the server's; the servers read them through
    /// <c>Atrium:TrustedProxies</c>. WebSocket upgrades pass through the same route.
    /// </summary>
    public static RouteConfig Route() => new()
    {
        RouteId = "all",
        ClusterId = ClusterId,
        Match = new RouteMatch { Path = "{**catch-all}" },
    };

    public static ClusterConfig Cluster(GatewayOptions options) => new()
    {
        ClusterId = ClusterId,
        LoadBalancingPolicy = options.LoadBalancingPolicy,
        Destinations = options.Destinations
            .Select((address, index) => (address, index))
            .ToDictionary(
                d => "node" + (d.index + 1).ToString(CultureInfo.InvariantCulture),
                d => new DestinationConfig { Address = d.address, Health = d.address }),
        HealthCheck = new HealthCheckConfig
        {
            // When every server looks unhealthy, try them all rather than answer 503 to everyone.
            AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = options.HealthCheckInterval,
                Timeout = options.HealthCheckTimeout,
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = "/health",
            },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = ConsecutiveFailuresPassivePolicy.PolicyName,
                ReactivationPeriod = options.ReactivationPeriod,
            },
        },
        Metadata = new Dictionary<string, string>
        {
            ["ConsecutiveFailuresHealthPolicy.Threshold"] = options.HealthCheckFailures.ToString(CultureInfo.InvariantCulture),
        },

        // HTTP/1.1 to the servers (cleartext; also what a WebSocket upgrade needs). YARP itself never re-sends a
        // request; SafeRetry sends a bodiless GET or HEAD that no server answered once more, to another server. A POST
        // that fails mid-way is reported to the client (502/504) and never repeated on another node.
        HttpRequest = new ForwarderRequestConfig
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        },
    };
}
