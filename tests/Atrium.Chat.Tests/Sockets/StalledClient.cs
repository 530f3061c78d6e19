using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Atrium.Chat.Tests.Sockets;

/// <summary>
/// A WebSocket client over a real TCP connection with a small receive buffer, which says hello, takes its welcome and
/// then reads nothing until told to: the kernel buffers fill and the server's writes stall, as with a frozen tab.
/// </summary>
internal sealed class StalledClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly WebSocket _socket;

    private StalledClient(TcpClient tcp, WebSocket socket)
    {
        _tcp = tcp;
        _socket = socket;
    }

    public static async Task<StalledClient> HelloAsync(int port, string token, CancellationToken ct)
    {
        var tcp = new TcpClient { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync("127.0.0.1", port, ct);
        var stream = tcp.GetStream();
        var request = $"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                throw new IOException("The server closed the connection during the upgrade.");
            }

            head.Append((char)one[0]);
        }

        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new IOException($"No upgrade: {head}");
        }

        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var client = new StalledClient(tcp, socket);
        await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "hello", token })), WebSocketMessageType.Text, true, ct);
        var welcome = await client.ReadFrameAsync(ct);
        if (!welcome.Contains("\"welcome\"", StringComparison.Ordinal))
        {
            throw new IOException($"Expected welcome, got {welcome}");
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _tcp.Dispose();
        await Task.CompletedTask;
    }

    private async Task<string> ReadFrameAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(count), ct);
            count += result.Count;
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(buffer, 0, count);
    }
}
