using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Chat.Delivery;

/// <summary>
/// Listens on this node's channel and hands each push to the local sockets. Subscribes in the background, retrying
/// while Redis is down; StackExchange.Redis re-subscribes by itself after a reconnect.
/// </summary>
internal sealed partial class NodeChannelSubscriber(
    IConnectionMultiplexer redis, ChatNode node, ConnectionHub hub, ILogger<NodeChannelSubscriber> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private RedisChannel Channel => RedisChannel.Literal(ChatNode.ChannelOf(node.Id));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(Channel, OnMessage);
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
            await redis.GetSubscriber().UnsubscribeAsync(Channel, OnMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // shutting down anyway
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        try
        {
            if (JsonSerializer.Deserialize<ChatPush>(message.ToString()) is { } push)
            {
                hub.Deliver(push);
            }
        }
        catch (JsonException ex)
        {
            LogBadMessage(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: subscribing to this node's channel failed; retrying")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: ignored a malformed push on this node's channel")]
    private static partial void LogBadMessage(ILogger logger, Exception exception);
}
