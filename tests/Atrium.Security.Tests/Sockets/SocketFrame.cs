using System.Net.WebSockets;
using System.Text;

namespace Atrium.Security.Tests.Sockets;

/// <summary>One generated client frame: its bytes and whether it goes as text or binary.</summary>
public sealed record SocketFrame(byte[] Bytes, WebSocketMessageType Type)
{
    public override string ToString() =>
        $"{Type}: {(Bytes.Length > 200 ? Encoding.UTF8.GetString(Bytes, 0, 200) + "…" : Encoding.UTF8.GetString(Bytes))}";
}
