using System.Net.WebSockets;
using System.Text.Json;
using Atrium.Chat.Domain;
using Atrium.Chat.Protocol;

namespace Atrium.Chat.Sockets;

/// <summary>Reads the first frame of a socket within the hello timeout; null when none came in time or it is not a hello.</summary>
internal static class HelloReader
{
    public static async Task<(ClientFrame? Hello, WebSocketCloseStatus Failure, string Reason)> ReadAsync(
        WebSocket socket, TimeSpan timeout, TimeProvider time, CancellationToken aborted)
    {
        var buffer = new byte[ChatLimits.MaxFrameBytes];
        var reading = ReadFrameAsync(socket, buffer, aborted);

        // Not a cancellation of the receive (that would abort the socket): a race, so the close code can still be sent.
        if (await Task.WhenAny(reading, Task.Delay(timeout, time, aborted)) != reading)
        {
            return (null, ChatCloseCodes.Unauthorized, "No hello within the timeout.");
        }

        var (count, type) = await reading;
        if (type == WebSocketMessageType.Close)
        {
            return (null, WebSocketCloseStatus.NormalClosure, "");
        }

        if (count < 0)
        {
            return (null, ChatCloseCodes.MessageTooBig, $"Frames are limited to {ChatLimits.MaxFrameBytes} bytes.");
        }

        if (type == WebSocketMessageType.Binary)
        {
            return (null, ChatCloseCodes.BadHello, "The first frame must be hello {token}, as a JSON text frame (binary frames are refused).");
        }

        try
        {
            var frame = JsonSerializer.Deserialize<ClientFrame>(buffer.AsSpan(0, count), ChatJson.Options);
            return frame is { Type: "hello", Token: { Length: > 0 } }
                ? (frame, default, "")
                : (null, ChatCloseCodes.BadHello, "The first frame must be hello {token}.");
        }
        catch (JsonException)
        {
            return (null, ChatCloseCodes.BadHello, "The first frame must be hello {token} (valid JSON).");
        }
    }

    /// <summary>The byte count of one whole message (−1 when it is too large) and its type.</summary>
    private static async Task<(int Count, WebSocketMessageType Type)> ReadFrameAsync(WebSocket socket, byte[] buffer, CancellationToken ct)
    {
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (count == buffer.Length)
            {
                return (-1, WebSocketMessageType.Text);
            }

            result = await socket.ReceiveAsync(buffer.AsMemory(count), ct);
            count += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        return (count, result.MessageType);
    }
}
