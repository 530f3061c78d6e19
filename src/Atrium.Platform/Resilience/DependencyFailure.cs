using Polly;

namespace Atrium.Platform.Resilience;

/// <summary>Which exceptions of a dependency call mean "unavailable now: degrade" rather than a bug.</summary>
public static class DependencyFailure
{
    /// <summary>
    /// A Redis error or timeout, or a rejection by a pipeline (open circuit, full bulkhead, our timeout) — the caller
    /// falls back (database, local delivery, allow) as docs/resilience.md says. A caller's own cancellation is not one.
    /// </summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is StackExchange.Redis.RedisException or TimeoutException or ExecutionRejectedException;
}
