namespace Atrium.Platform.Caching;

/// <summary>
/// Where a key's invalidations stood when a fill began reading its source: this node's counter and, in the cluster,
/// the key's generation in Redis (null when Redis could not be asked). Taken by <see cref="ICacheInvalidator.StampAsync"/>.
/// </summary>
public readonly record struct CacheStamp(long Local, long? Shared);
