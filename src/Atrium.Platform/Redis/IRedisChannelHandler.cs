using StackExchange.Redis;

namespace Atrium.Platform.Redis;

/// <summary>
/// What a module listens to on Redis pub/sub: its channel and what to do with each message. The subscription itself
/// (subscribing, retrying, reporting, unsubscribing at shutdown) is <see cref="RedisChannelSubscriber"/>'s, added with
/// <see cref="RedisSubscriptionExtensions.AddRedisSubscription{THandler}"/>.
/// </summary>
public interface IRedisChannelHandler
{
    /// <summary>The supervised service's name, as <c>/health</c> and the metrics report it (e.g. <c>chat.node-channel-subscriber</c>).</summary>
    string ServiceName { get; }

    RedisChannel Channel { get; }

    /// <summary>One message; called on StackExchange.Redis's thread, so it must be quick and must not throw.</summary>
    void OnMessage(RedisValue message);

    /// <summary>
    /// The subscription is back after it was down: what was published meanwhile never reached this node, so a handler
    /// whose state depends on every message makes up for the gap here (the cache's L1 is cleared). Must not throw.
    /// </summary>
    void OnResubscribed()
    {
    }
}
