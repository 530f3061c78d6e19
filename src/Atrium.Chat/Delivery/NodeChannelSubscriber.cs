using System.Text.Json;
using Atrium.Platform.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Chat.Delivery;

/// <summary>
/// Listens on this node's channel and hands each push to the local sockets. The subscription (retried while Redis is
/// down, reported on <c>/health</c>) is Platform's <see cref="IRedisChannelHandler"/> mechanism.
/// </summary>
internal sealed partial class NodeChannelSubscriber(ChatNode node, ConnectionHub hub, ILogger<NodeChannelSubscriber> logger)
    : IRedisChannelHandler
{
    public string ServiceName => "chat.node-channel-subscriber";

    public RedisChannel Channel { get; } = RedisChannel.Literal(ChatNode.ChannelOf(node.Id));

    public void OnMessage(RedisValue message)
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
