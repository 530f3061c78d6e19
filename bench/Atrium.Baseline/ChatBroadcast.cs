using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;

/// <summary>
/// The chat benchmark's baseline (scripts/bench.sh chat and memory): a bare Kestrel WebSocket broadcast server. A socket joins a
/// room (<c>GET /ws?room=R</c>); every text frame it sends is forwarded as-is to every other socket of the room, each
/// through its own bounded send queue and send loop (the same socket structure as Atrium's gateway, with no
/// authentication, database, acknowledgements or cross-node routing). It is the ceiling Atrium's chat delivery is
/// measured against.
/// </summary>
internal static class ChatBroadcast
{
    private const int MaxFrameBytes = 16 * 1024;
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<Member, byte>> Rooms = new();

    public static WebApplication MapChatBroadcast(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapGet("/ws", ConnectAsync);
        return app;
    }

    private static async Task ConnectAsync(HttpContext http, string room)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var member = new Member(socket);
        var members = Rooms.GetOrAdd(room, _ => new());
        members[member] = 0;
        var sending = member.SendLoopAsync(http.RequestAborted);
        try
        {
            var buffer = new byte[MaxFrameBytes];
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), http.RequestAborted);
                    count += result.Count;
                }
                while (!result.EndOfMessage && count < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var frame = buffer.AsSpan(0, count).ToArray();
                foreach (var other in members.Keys)
                {
                    if (other != member)
                    {
                        other.Enqueue(frame);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // the client went away
        }
        finally
        {
            members.TryRemove(member, out _);
            member.Complete();
            await sending;
        }

        if (socket.State is WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
    }

    private sealed class Member(WebSocket socket)
    {
        private readonly Channel<byte[]> _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { SingleReader = true });

        public void Enqueue(byte[] frame)
        {
            if (!_outbox.Writer.TryWrite(frame))
            {
                socket.Abort(); // too slow, like Atrium's 1013
            }
        }

        public void Complete() => _outbox.Writer.TryComplete();

        public async Task SendLoopAsync(CancellationToken ct)
        {
            try
            {
                await foreach (var frame in _outbox.Reader.ReadAllAsync(ct))
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, true, ct);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away
            }
        }
    }
}
