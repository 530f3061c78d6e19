namespace Atrium.Platform.Resilience;

/// <summary>
/// The thresholds of each replica's breaker (docs/resilience.md, Replicas). Reads whose replica is open go to the
/// primary: the primary is always current, so the degradation is load on the primary, never a wrong answer.
/// </summary>
public static class ReplicaResilience
{
    /// <summary>
    /// 2 s to open a connection. From the pool it takes microseconds, a new TCP + authentication a few ms on a LAN;
    /// a replica that needs 2 s is unreachable or swamped, and a read is better served by the primary. (Npgsql's own
    /// default connect timeout, 15 s, would hold the request that long.)
    /// </summary>
    public static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Opens at ≥ 50 % failed opens over 10 s once there were ≥ 2, for <c>Atrium:Database:ReplicaRetryAfter</c>
    /// (10 s). Two: opens are rare events (a pooled connection is reused), so waiting for more would send many more
    /// requests into a dead replica's timeout first.
    /// </summary>
    public static BreakerThresholds Breaker(TimeSpan breakDuration) => new(0.5, 2, TimeSpan.FromSeconds(10), breakDuration);
}
