using Atrium.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Atrium.Platform.Redis;

internal sealed class RedisChannelSubscriber(IRedisChannelHandler handler, IConnectionMultiplexer redis, ServiceSupervisor supervisor) : BackgroundService
{
    private readonly Action<RedisChannel, RedisValue> _onMessage = (_, message) => handler.OnMessage(message);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(handler.ServiceName, async (_, _) => await redis.GetSubscriber().SubscribeAsync(handler.Channel, _onMessage), stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(handler.Channel, _onMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // shutting down anyway
        }
    }
}
