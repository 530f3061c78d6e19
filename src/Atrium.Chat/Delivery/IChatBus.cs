namespace Atrium.Chat.Delivery;

/// <summary>Hands a push to another node: Redis pub/sub on the node's channel in the distributed shape.</summary>
internal interface IChatBus
{
    /// <summary>Publishes at most once: a lost push only delays delivery until the socket's next catch-up read.</summary>
    Task PublishAsync(string nodeId, ChatPush push, CancellationToken ct);
}
