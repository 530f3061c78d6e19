using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using HdrHistogram;

namespace Atrium.ChatBench;

/// <summary>
/// One connected client: a receive loop that records the latency of every message from another client (the send
/// timestamp travels in the text; all clients live in this process, so one clock measures both ends) and, against
/// Atrium, cumulative acks of the highest stream position every 250 ms, as a real client sends them. Each client
/// remembers the send numbers it received, so a message delivered twice is counted as a duplicate.
/// </summary>
internal sealed class BenchClient(int index, ClientWebSocket socket, ITarget target, Measurement measurement) : IAsyncDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly HashSet<long> _seen = [];
    private long _maxPos;
    private long _ackedPos;
    private Task _receiving = Task.CompletedTask;

    public int Index => index;

    public bool IsOpen => socket.State == WebSocketState.Open;

    public static async Task<BenchClient> ConnectAsync(int index, ITarget target, Scenario scenario, Measurement measurement, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        await socket.ConnectAsync(target.SocketUri(scenario, index), ct);
        var client = new BenchClient(index, socket, target, measurement);
        if (target.Hello(index) is { } hello)
        {
            await client.SendAsync(hello, ct);
            await client.WaitForWelcomeAsync(ct);
        }

        client._receiving = client.ReceiveLoopAsync();
        return client;
    }

    public async Task SendAsync(string frame, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends <c>ack {pos}</c> when new events arrived since the last one.</summary>
    public async Task AckAsync(CancellationToken ct)
    {
        var pos = Interlocked.Read(ref _maxPos);
        if (target.Acks && pos > _ackedPos && socket.State == WebSocketState.Open)
        {
            _ackedPos = pos;
            await SendAsync($"{{\"type\":\"ack\",\"pos\":{pos}}}", ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }

            await _receiving.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            socket.Abort();
        }

        socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task WaitForWelcomeAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, ct);
        var frame = Encoding.UTF8.GetString(buffer, 0, result.Count);
        if (!frame.Contains("\"welcome\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Client {index} expected welcome, got: {frame}");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024]; // chat frames are small; 10,000 idle clients hold one each
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Handle(buffer.AsSpan(0, count));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // closed
        }
    }

    private void Handle(ReadOnlySpan<byte> json)
    {
        var now = Stopwatch.GetTimestamp();
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.TryGetProperty("pos", out var pos))
        {
            var value = pos.GetInt64();
            if (value > Interlocked.Read(ref _maxPos))
            {
                Interlocked.Exchange(ref _maxPos, value);
            }
        }

        var type = root.GetProperty("type").GetString();
        var text = type switch
        {
            "message" => root.GetProperty("message").GetProperty("text").GetString(),
            "send" => root.GetProperty("text").GetString(), // the baseline forwards the send frame as-is
            "error" => throw new InvalidOperationException($"Client {index} got an error: {root}"),
            _ => null,
        };

        // "<sender>:<send number>:<intended send time>": a client's own messages come back to it as stream events too;
        // they are not deliveries. A send number seen twice by one client is a duplicate, counted and not measured.
        if (text?.Split(':') is [var sender, var number, var stamp] && int.Parse(sender, CultureInfo.InvariantCulture) != index)
        {
            if (_seen.Add(long.Parse(number, CultureInfo.InvariantCulture)))
            {
                measurement.Record(long.Parse(stamp, CultureInfo.InvariantCulture), now);
            }
            else
            {
                measurement.Duplicate();
            }
        }
    }
}
