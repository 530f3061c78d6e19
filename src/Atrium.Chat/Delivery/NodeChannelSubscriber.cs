using System.Text.Json;
using Atrium.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Chat.Delivery;

/// <summary>
/// Listens on this node's channel and hands each push to the local sockets. Subscribes in the background, retrying
/// while Redis is down; StackExchange.Redis re-subscribes by itself after a reconnect.
/// </summary>
internal sealed partial class NodeChannelSubscriber(
    IConnectionMultiplexer redis, ChatNode node, ConnectionHub hub, ServiceSupervisor supervisor, ILogger<NodeChannelSubscriber> logger)
    : BackgroundService
{

    private RedisChannel Channel => RedisChannel.Literal(ChatNode.ChannelOf(node.Id));

    public const string ServiceName = "chat.node-channel-subscriber";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, async (_, _) => await redis.GetSubscriber().SubscribeAsync(Channel, OnMessage), stoppingToken);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: ignored a malformed push on this node's channel")]
    private static partial void LogBadMessage(ILogger logger, Exception exception);
}
