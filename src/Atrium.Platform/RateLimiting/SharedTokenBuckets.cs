using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Platform.RateLimiting;

/// <summary>
/// Token buckets by key that hold across the cluster, for limits that are not one per request — failed sign-ins by
/// username, unknown short codes by client — where a module charges a bucket itself. The buckets are the Redis ones
/// of the request limiters (<c>atrium:rl:{policy}:{key}</c>, failing open while Redis is unreachable), so a module
/// that must still limit then keeps a bucket of its own in this process as well.
/// </summary>
public static class SharedTokenBuckets
{
    /// <summary>
    /// The Redis-backed buckets of <paramref name="policy"/>, one per key, each shaped by <paramref name="bucket"/>; null when
    /// Redis is not configured (the embedded shape: one node, where an in-process bucket is the shared one). Acquire
    /// asynchronously: the synchronous <see cref="RateLimiter.AttemptAcquire(int)"/> of these never reaches Redis and declines.
    /// </summary>
    public static PartitionedRateLimiter<string>? Create(IServiceProvider services, string policy, TokenBucketRateLimiterOptions bucket)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<DistributedRateLimits>() is { } distributed
            ? PartitionedRateLimiter.Create<string, string>(key => distributed.TokenBucket(policy, key, bucket))
            : null;
    }
}
