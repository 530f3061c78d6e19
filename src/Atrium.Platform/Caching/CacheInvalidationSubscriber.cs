using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Platform.Caching;

/// <summary>
/// Listens on <see cref="RedisCacheInvalidator.Channel"/> and removes each key another node invalidated from
/// this node's L1 (the Redis copy is gone already). Subscribes in the background, retrying while Redis is down;
/// once subscribed, StackExchange.Redis re-subscribes by itself after a reconnect.
/// </summary>
internal sealed partial class CacheInvalidationSubscriber(
    IConnectionMultiplexer redis, HybridCache cache, CacheNode node, CacheGenerations generations, ILogger<CacheInvalidationSubscriber> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await subscriber.SubscribeAsync(RedisCacheInvalidator.Channel, OnMessage);
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogSubscribeFailed(logger, ex);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(RedisCacheInvalidator.Channel, OnMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // shutting down anyway
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        if (node.KeyFromOtherNode(message.ToString()) is not { } key)
        {
            return;
        }

        generations.Bump(key); // before the removal: a fill on this node that stores after it sees the bump (CacheFill)
        _ = RemoveLocallyAsync(key);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to cache invalidations failed; retrying.")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing {Key} from L1 after another node's invalidation failed.")]
    private static partial void LogRemoveFailed(ILogger logger, string key, Exception exception);
}
