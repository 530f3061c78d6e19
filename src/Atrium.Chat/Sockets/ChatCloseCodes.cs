using System.Net.WebSockets;

namespace Atrium.Chat.Sockets;

/// <summary>The close codes of docs/chat-protocol.md.</summary>
internal static class ChatCloseCodes
{
    public const WebSocketCloseStatus MessageTooBig = WebSocketCloseStatus.MessageTooBig; // 1009
    public const WebSocketCloseStatus ServerError = WebSocketCloseStatus.InternalServerError; // 1011
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;
    public const WebSocketCloseStatus BadHello = (WebSocketCloseStatus)4400;
    public const WebSocketCloseStatus Unauthorized = (WebSocketCloseStatus)4401;
}
