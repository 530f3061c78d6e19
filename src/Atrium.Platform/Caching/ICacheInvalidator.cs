namespace Atrium.Platform.Caching;

/// <summary>
/// Removes a cache key everywhere it may be held: this node's HybridCache (L1 and, in the cluster, the Redis
/// L2) and, in the cluster, the L1 of every other node (a Redis pub/sub message each node acts on). Write
/// paths call it for every key they change (DESIGN.md §4, Cache). Fills guard themselves with <see cref="CacheFill"/>,
/// which compares <see cref="StampAsync"/> before the read with the state after the store.
/// </summary>
public interface ICacheInvalidator
{
    /// <summary>
    /// The longest an entry may live in a node's L1: unbounded on one node; in the cluster the safety net for
    /// an invalidation message that never arrived (pub/sub is fire-and-forget). Caches cap their L1 lifetime at it.
    /// </summary>
    TimeSpan MaxLocalLifetime { get; }

    /// <summary>
    /// The longest an entry may live in the shared L2 (Redis): the bound for an invalidation that a node held while
    /// Redis was away and then lost by stopping. Unbounded on one node (there is no L2). Caches cap their lifetime at it.
    /// </summary>
    TimeSpan MaxSharedLifetime { get; }

    /// <summary>
    /// Invalidates <paramref name="key"/>. It runs after a commit, so <paramref name="cancellationToken"/> is not
    /// observed: a client that disconnects right after the commit must not leave the old value cached. It does not
    /// throw when Redis is away: the Redis part is then kept and retried until Redis takes it.
    /// </summary>
    ValueTask InvalidateAsync(string key, CancellationToken cancellationToken);

    /// <summary>Where the invalidations of each key stand now; a fill takes it before reading its source.</summary>
    ValueTask<CacheStamp[]> StampAsync(IReadOnlyList<string> keys);

    /// <summary>For each key, whether it may have been invalidated since <paramref name="stamps"/> were taken.</summary>
    ValueTask<bool[]> ChangedSinceAsync(IReadOnlyList<string> keys, CacheStamp[] stamps);
}
