using Atrium.Platform.Resilience;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Platform.Caching;

/// <summary>
/// The cluster: removes the key from this node's L1 and from Redis (L2), then publishes it on
/// <see cref="Channel"/>; <see cref="CacheInvalidationSubscriber"/> on every other node removes it from that
/// node's L1. Pub/sub is at-most-once, so a message lost while Redis is away is covered by
/// <see cref="MaxLocalLifetime"/>: no L1 entry outlives it.
/// </summary>
/// <remarks>
/// The publish runs through the shared Redis pipeline (module <c>cache</c>) and is retried: dropping a key twice is
/// harmless. While the circuit is open it is skipped at once (and logged), like any publish while Redis is away.
/// </remarks>
internal sealed partial class RedisCacheInvalidator(
    HybridCache cache, IConnectionMultiplexer redis, CacheNode node, DependencyPipelines pipelines, ILogger<RedisCacheInvalidator> logger) : ICacheInvalidator
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("atrium:cache:invalidate");

    /// <summary>The L1 bound in the cluster: how stale a node may stay if an invalidation message is lost.</summary>
    public static readonly TimeSpan LocalLifetime = TimeSpan.FromSeconds(60);

    public TimeSpan MaxLocalLifetime => LocalLifetime;

    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        await cache.RemoveAsync(key, cancellationToken); // L1 + L2 (the L2 part fails soft)
        if (!redis.IsConnected)
        {
            LogNotPublished(logger, key, null);
            return;
        }

        try
        {
            var message = node.Message(key);
            await pipelines.Redis("cache", CallKind.Retryable).ExecuteAsync(
                async (state, ct) => await state.redis.GetSubscriber().PublishAsync(Channel, state.message).WaitAsync(ct),
                (redis, message),
                cancellationToken);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            LogNotPublished(logger, key, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalidation of {Key} not published (Redis unavailable); other nodes' L1 drops it within its lifetime bound.")]
    private static partial void LogNotPublished(ILogger logger, string key, Exception? exception);
}
