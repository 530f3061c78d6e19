namespace Atrium.Chat.Delivery;

/// <summary>
/// This process as a chat node: a random id per process, the name of its pub/sub channel and of its entries in the
/// presence registry. A restarted process is a new node (its old entries expire with their TTL).
/// </summary>
internal sealed class ChatNode
{
    public string Id { get; } = Guid.NewGuid().ToString("N");

    public static string ChannelOf(string nodeId) => $"atrium:chat:node:{nodeId}";
}
