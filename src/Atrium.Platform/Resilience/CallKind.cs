namespace Atrium.Platform.Resilience;

/// <summary>Whether a dependency call may be retried (docs/resilience.md, "Retries").</summary>
public enum CallKind
{
    /// <summary>
    /// Idempotent — running it twice has the effect of running it once: reads, <c>SET</c>, <c>DEL</c>, <c>ZADD</c> of
    /// the same member, <c>EXPIRE</c>, a script made only of those, a publish whose consumers deduplicate by id.
    /// Retried with exponential backoff and jitter.
    /// </summary>
    Retryable,

    /// <summary>
    /// Run at most once: not idempotent (<c>INCR</c>, a token-bucket script, a pub/sub message whose readers do not
    /// deduplicate), or not worth a retry's wait (a cache read whose miss costs one database read). Timeout and
    /// circuit breaker only.
    /// </summary>
    Once,
}
