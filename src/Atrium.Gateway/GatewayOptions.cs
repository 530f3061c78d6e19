namespace Atrium.Gateway;

/// <summary>The <c>Gateway</c> configuration section: where the Atrium servers are and how to spread load over them.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Base URLs of the Atrium servers, one cluster (e.g. <c>http://10.0.0.11:5000</c>). At least one.</summary>
    public List<string> Destinations { get; init; } = [];

    /// <summary><c>PowerOfTwoChoices</c> (default), <c>RoundRobin</c> or <c>LeastRequests</c>.</summary>
    public string LoadBalancing { get; init; } = "PowerOfTwoChoices";

    /// <summary>How often each server's <c>/health</c> is probed (active health check).</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A probe that takes longer than this counts as a failure.</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failed probes that mark a server unhealthy (one good probe marks it healthy again).</summary>
    public int HealthCheckFailures { get; init; } = 2;

    /// <summary>Consecutive proxied requests failing (transport error or 5xx) that take a server out of rotation.</summary>
    public int PassiveFailures { get; init; } = 3;

    /// <summary>How long a server taken out by the passive check stays out before it gets traffic again.</summary>
    public TimeSpan ReactivationPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The YARP policy name for <see cref="LoadBalancing"/>; throws with the allowed names for anything else.</summary>
    internal string LoadBalancingPolicy => LoadBalancing switch
    {
        "PowerOfTwoChoices" => Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.PowerOfTwoChoices,
        "RoundRobin" => Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.RoundRobin,
        "LeastRequests" => Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.LeastRequests,
        _ => throw new InvalidOperationException(
            $"Gateway:LoadBalancing is '{LoadBalancing}'; use PowerOfTwoChoices, RoundRobin or LeastRequests."),
    };

    /// <summary>Fails start-up with a clear message when the section cannot work.</summary>
    internal void Validate()
    {
        if (Destinations.Count == 0)
        {
            throw new InvalidOperationException(
                "Gateway:Destinations is empty; list the Atrium servers' base URLs (e.g. Gateway__Destinations__0=http://127.0.0.1:5101).");
        }

        foreach (var destination in Destinations)
        {
            if (!Uri.TryCreate(destination, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"Gateway:Destinations has '{destination}', which is not an absolute http(s) URL.");
            }
        }

        _ = LoadBalancingPolicy;
    }
}
