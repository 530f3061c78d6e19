using Atrium.Platform.Redis;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Platform.Caching;

/// <summary>
/// Listens on <see cref="RedisCacheInvalidator.Channel"/> and removes each key another node invalidated from
/// this node's L1 (the Redis copy is gone already). While not subscribed, this node misses other nodes'
/// invalidations: the subscription (<see cref="RedisChannelSubscriber"/>) reports it failing on <c>/health</c> meanwhile,
/// and once it is back this node's whole L1 is cleared, so what it missed is read again (from the L2, which the
/// invalidating node cleaned, or the database) instead of served for up to the L1 lifetime.
/// </summary>
internal sealed partial class CacheInvalidationSubscriber(
    HybridCache cache, IMemoryCache l1, CacheNode node, CacheGenerations generations, ILogger<CacheInvalidationSubscriber> logger)
    : IRedisChannelHandler
{
    public string ServiceName => "platform.cache-invalidation-subscriber";

    public RedisChannel Channel => RedisCacheInvalidator.Channel;

    public void OnMessage(RedisValue message)
    {
        if (node.KeyFromOtherNode(message.ToString()) is not { } key)
        {
            return;
        }

        generations.Bump(key); // before the removal: a fill on this node that stores after it sees the bump (CacheFill)
        _ = RemoveLocallyAsync(key);
    }

    public void OnResubscribed()
    {
        if (l1 is MemoryCache memory)
        {
            memory.Compact(1.0); // every entry: HybridCache's L1 lives in this node's IMemoryCache
            LogL1Cleared(logger);
        }
    }

    private async Task RemoveLocallyAsync(string key)
    {
        try
        {
            using (L2Scope.EnterLocalOnly())
            {
                await cache.RemoveAsync(key, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            LogRemoveFailed(logger, key, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache invalidations may have been missed while the subscription was down: this node's L1 is cleared.")]
    private static partial void LogL1Cleared(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing {Key} from L1 after another node's invalidation failed.")]
    private static partial void LogRemoveFailed(ILogger logger, string key, Exception exception);
}
