using System.Text.Json;
using Atrium.Platform.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using StackExchange.Redis;

namespace Atrium.Chat.Delivery;

/// <summary>
/// Publishes pushes on the target node's Redis channel (<c>atrium:chat:node:{nodeId}</c>), as JSON, through the shared
/// Redis pipeline (module <c>chat</c>: bulkhead, breaker, timeout) and at most once (<see cref="CallKind.Once"/>): a
/// lost push only delays delivery until the socket's next catch-up read, so a retry is not worth its wait.
/// </summary>
internal sealed partial class RedisChatBus(IConnectionMultiplexer redis, DependencyPipelines pipelines, ILogger<RedisChatBus> logger) : IChatBus
{
    private readonly ResiliencePipeline _pipeline = pipelines.Redis("chat", CallKind.Once);

    public async Task PublishAsync(string nodeId, ChatPush push, CancellationToken ct)
    {
        try
        {
            var channel = RedisChannel.Literal(ChatNode.ChannelOf(nodeId));
            var message = JsonSerializer.Serialize(push);
            await _pipeline.ExecuteAsync(
                async (state, token) => await state.redis.GetSubscriber().PublishAsync(state.channel, state.message).WaitAsync(token),
                (redis, channel, message),
                ct);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex))
        {
            LogPublishFailed(logger, nodeId, ex); // the recipients' sockets catch up from the database
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: publishing to node {NodeId} failed; its sockets will catch up from the database")]
    private static partial void LogPublishFailed(ILogger logger, string nodeId, Exception exception);
}
