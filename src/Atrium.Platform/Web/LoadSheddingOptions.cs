namespace Atrium.Platform.Web;

/// <summary>
/// Load shedding (<c>Atrium:LoadShedding</c>; docs/resilience.md): how many requests a node serves at once before it
/// answers <c>503</c> + <c>Retry-After</c> instead of queueing them until it falls over. Exempt: <c>/health</c>,
/// <c>/alive</c>, <c>/metrics</c> (the load balancer and the monitoring must still see the node) and the chat
/// WebSocket (<c>/ws</c>: a socket lives for hours and would hold a permit all that time; chat has its own limits).
/// </summary>
public sealed class LoadSheddingOptions
{
    /// <summary>
    /// Requests in flight on this node before new ones wait in the queue (<c>MaxConcurrentRequests</c>). 512: by
    /// Little's law a node serving 4,000 requests/s at 20 ms holds about 80 in flight; 512 is six times that, a
    /// point where latency has already grown several-fold and more concurrency only adds queueing delay and memory.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 512;

    /// <summary>
    /// Requests that may wait for a permit, oldest first (<c>QueueLimit</c>). 64: a small buffer for bursts; a longer
    /// queue only makes every queued request slower than its client's patience. Past it: 503 at once.
    /// </summary>
    public int QueueLimit { get; set; } = 64;

    /// <summary>
    /// The bulkhead per module (<c>ModuleMaxConcurrentRequests</c>): no module (Links, Feed, Chat, Accounts — the
    /// assembly of the endpoint's handler) may hold more than this many of the node's permits, no queue. 384, three
    /// quarters of <see cref="MaxConcurrentRequests"/>: when one module's requests pile up on a slow dependency, they
    /// are turned away at once while the other modules keep at least a quarter of the node.
    /// </summary>
    public int ModuleMaxConcurrentRequests { get; set; } = 384;

    /// <summary>Per-module overrides of <see cref="ModuleMaxConcurrentRequests"/>, by module name (<c>Modules:feed</c>).</summary>
    public Dictionary<string, int> Modules { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The <c>Retry-After</c> of a shed request, in seconds (<c>RetryAfterSeconds</c>). 2: overload is mostly a
    /// burst that passes within seconds; clients add their own jitter.
    /// </summary>
    public int RetryAfterSeconds { get; set; } = 2;
}
