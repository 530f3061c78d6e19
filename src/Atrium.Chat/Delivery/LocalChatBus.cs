namespace Atrium.Chat.Delivery;

/// <summary>The embedded shape's bus: the only node is this one, so a push is delivered to the local hub.</summary>
internal sealed class LocalChatBus(ConnectionHub hub) : IChatBus
{
    public Task PublishAsync(string nodeId, ChatPush push, CancellationToken ct)
    {
        hub.Deliver(push);
        return Task.CompletedTask;
    }
}
