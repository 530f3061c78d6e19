using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Chat.Delivery;

/// <summary>Publishes pushes on the target node's Redis channel (<c>atrium:chat:node:{nodeId}</c>), as JSON.</summary>
internal sealed partial class RedisChatBus(IConnectionMultiplexer redis, ILogger<RedisChatBus> logger) : IChatBus
{
    public async Task PublishAsync(string nodeId, ChatPush push, CancellationToken ct)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(ChatNode.ChannelOf(nodeId)), JsonSerializer.Serialize(push)).WaitAsync(ct);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, nodeId, ex); // the recipients' sockets catch up from the database
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: publishing to node {NodeId} failed; its sockets will catch up from the database")]
    private static partial void LogPublishFailed(ILogger logger, string nodeId, Exception exception);
}
