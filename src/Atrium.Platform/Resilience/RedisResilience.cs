namespace Atrium.Platform.Resilience;

/// <summary>
/// The thresholds of the one Redis pipeline every Redis caller shares (docs/resilience.md, Redis).
/// </summary>
public static class RedisResilience
{
    /// <summary>
    /// 250 ms per attempt. A healthy Redis answers on a LAN in well under 1 ms (a 1,000-key fan-out script in a few
    /// ms), so a call still running after 250 ms is failing; it is shorter than the multiplexer's own 500 ms
    /// <c>AsyncTimeout</c> (Platform/Redis/RedisConnection.cs), so this timeout, which the breaker counts, decides.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Opens at ≥ 50 % failures over the last 2 s once there were ≥ 8 calls, for 3 s. A short window: the ratio counts
    /// the successes still in it, so under steady load the circuit opens about half a window (≈ 1 s) after Redis starts
    /// failing — with a 10 s window a busy node would wait ≈ 5 s, every call paying the timeout meanwhile (measured:
    /// docs/resilience.md §6). Eight calls: a GC pause that slows a couple of calls does not open it. Three seconds
    /// open: a Redis outage costs a few slow calls per 3 s, and recovery is noticed within about 3 s of Redis
    /// answering again (the multiplexer reconnects every 500 ms meanwhile).
    /// </summary>
    public static readonly BreakerThresholds Breaker = new(0.5, 8, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));

    /// <summary>
    /// One retry after ≈ 25 ms (jittered, at most 200 ms) for idempotent calls. One: a read on the request path
    /// already waits up to two timeouts (≈ 0.5 s) before it falls back; a Redis blip (a failover, a reconnect)
    /// usually lasts longer than a retry anyway, and the breaker, not more retries, handles an outage.
    /// </summary>
    public static readonly RetryThresholds Retry = new(1, TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(200));

    /// <summary>
    /// A module's bulkhead on Redis: 64 calls in flight, 64 more waiting; past that a call is rejected at once and the
    /// caller degrades as if Redis were down. A healthy call takes well under 1 ms, so 64 permits carry tens of
    /// thousands of calls a second; when Redis is slow (up to <see cref="Timeout"/> a call), one module's pile-up stops
    /// at 128 calls instead of growing without bound and holding the requests (and the node's load-shedding
    /// permits, and database connections) of every module.
    /// </summary>
    public const int BulkheadPermits = 64;

    /// <summary>Calls that may wait for a bulkhead permit (see <see cref="BulkheadPermits"/>).</summary>
    public const int BulkheadQueue = 64;
}
