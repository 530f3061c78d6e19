using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Atrium.Gateway;

/// <summary>
/// Passive health check: <see cref="GatewayOptions.PassiveFailures"/> proxied requests in a row that fail on the
/// server's side (a transport error, a timeout, or a 5xx answer) take the server out of rotation for
/// <see cref="GatewayOptions.ReactivationPeriod"/>, at once. One good answer resets the count. Failures caused by the
/// client (it cancelled, its body broke) do not count, nor does the end of a WebSocket that did not fail. YARP's
/// built-in policy counts transport failures only, over a 60 s window with a minimum of 10 requests; a dead node is
/// noticed faster this way and a node shedding load with 503 gets a short rest.
/// </summary>
internal sealed partial class ConsecutiveFailuresPassivePolicy(
    IDestinationHealthUpdater health,
    IClusterDestinationsUpdater destinations,
    IOptions<GatewayOptions> options,
    ILogger<ConsecutiveFailuresPassivePolicy> logger) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "AtriumConsecutiveFailures";

    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _failures = [];

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var failures = _failures.GetValue(destination, _ => new StrongBox<int>());
        switch (Classify(context))
        {
            case Outcome.Success:
                if (Volatile.Read(ref failures.Value) != 0)
                {
                    Volatile.Write(ref failures.Value, 0);
                }

                return;
            case Outcome.ClientSide:
                return;
        }

        if (Interlocked.Increment(ref failures.Value) < options.Value.PassiveFailures)
        {
            return;
        }

        Volatile.Write(ref failures.Value, 0);
        LogTakenOut(logger, destination.DestinationId, options.Value.PassiveFailures, options.Value.ReactivationPeriod);
        health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, options.Value.ReactivationPeriod);

        // SetPassive marks the server at once but rebuilds the list of available servers on a thread-pool task, which a
        // busy gateway runs late while it keeps sending requests to the dead server (the gateway fault scenario counted
        // up to 9 failures where 3 should do). Rebuild it now; YARP's own rebuild then finds nothing to change.
        destinations.UpdateAvailableDestinations(cluster);
    }

    private static Outcome Classify(HttpContext context)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is { } error)
        {
            return error.Error switch
            {
                ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination
                    or ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeRequestDestination
                    or ForwarderError.UpgradeResponseDestination => Outcome.ServerSide,
                _ => Outcome.ClientSide,
            };
        }

        // An upgraded connection (a WebSocket) is reported when it ends, possibly hours after the upgrade, so its quiet
        // end says nothing about the server now; and when a server dies, its sockets end quietly (FIN) at the moment its
        // requests start failing, which would reset the count and keep the dead server in rotation for longer (found by
        // the gateway fault scenario, docs/reliability.md). It counts only when it failed on the server's side (above).
        if (context.Response.StatusCode == StatusCodes.Status101SwitchingProtocols)
        {
            return Outcome.ClientSide;
        }

        return context.Response.StatusCode >= 500 ? Outcome.ServerSide : Outcome.Success;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {Destination} failed {Failures} requests in a row; out of rotation for {Period}.")]
    private static partial void LogTakenOut(ILogger logger, string destination, int failures, TimeSpan period);

    private enum Outcome
    {
        Success,
        ServerSide,
        ClientSide,
    }
}
