namespace Atrium.Platform.Caching;

/// <summary>
/// Removes a cache key everywhere it may be held: this node's HybridCache (L1 and, in the cluster, the Redis
/// L2) and, in the cluster, the L1 of every other node (a Redis pub/sub message each node acts on). Write
/// paths call it for every key they change (DESIGN.md §4, Cache).
/// </summary>
public interface ICacheInvalidator
{
    /// <summary>
    /// The longest an entry may live in a node's L1: unbounded on one node; in the cluster the safety net for
    /// an invalidation message that never arrived (pub/sub is fire-and-forget). Caches cap their L1 lifetime at it.
    /// </summary>
    TimeSpan MaxLocalLifetime { get; }

    ValueTask InvalidateAsync(string key, CancellationToken cancellationToken);
}
