using Atrium.Platform.Hosting;
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
    IConnectionMultiplexer redis, HybridCache cache, CacheNode node, CacheGenerations generations, ServiceSupervisor supervisor,
    ILogger<CacheInvalidationSubscriber> logger)
    : BackgroundService
{
    public const string ServiceName = "platform.cache-invalidation-subscriber";

    // Until subscribed, this node misses other nodes' invalidations: the supervisor reports it failing meanwhile.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, async (_, _) => await redis.GetSubscriber().SubscribeAsync(RedisCacheInvalidator.Channel, OnMessage), stoppingToken);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing {Key} from L1 after another node's invalidation failed.")]
    private static partial void LogRemoveFailed(ILogger logger, string key, Exception exception);
}
