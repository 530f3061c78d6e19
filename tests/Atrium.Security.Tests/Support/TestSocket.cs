using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Xunit;

namespace Atrium.Security.Tests.Support;

/// <summary>
/// A test client of /ws that can misbehave: raw text, binary and fragmented frames, invalid UTF-8. A background loop
/// reads every frame into a queue (once <see cref="StartReading"/> is called: a test may leave a socket unread on
/// purpose); tests wait for the next matching frame, or for the close, with a generous deadline.
/// </summary>
public sealed class TestSocket(WebSocket socket) : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _unmatched = [];
    private Task _reading = Task.CompletedTask;

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public string? CloseReason => socket.CloseStatusDescription;

    /// <summary>Frames that were not JSON (the server never sends such; a test fails on them).</summary>
    public int NonJsonFrames { get; private set; }

    public TestSocket StartReading()
    {
        _reading = ReadAllAsync();
        return this;
    }

    /// <summary>Says hello and waits for welcome.</summary>
    public async Task<JsonElement> HelloAsync(string token)
    {
        await SendTextAsync(JsonSerializer.Serialize(new { type = "hello", token }));
        return await NextAsync("welcome");
    }

    public Task SendAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public Task SendTextAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type, bool endOfMessage = true) =>
        await socket.SendAsync(bytes, type, endOfMessage, TestContext.Current.CancellationToken);

    /// <summary>
    /// The earliest frame not yet taken of type <paramref name="type"/> (any type when null) that matches; frames that do
    /// not match stay for later calls, in arrival order (a <c>sent</c> and its <c>message</c> event come in either order).
    /// </summary>
    public async Task<JsonElement> NextAsync(string? type, Func<JsonElement, bool>? match = null)
    {
        bool Wanted(JsonElement frame) =>
            (type is null || frame.TryGetProperty("type", out var t) && t.GetString() == type) && (match is null || match(frame));

        var index = _unmatched.FindIndex(Wanted);
        if (index >= 0)
        {
            var found = _unmatched[index];
            _unmatched.RemoveAt(index);
            return found;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(deadline.Token);
                if (Wanted(frame))
                {
                    return frame;
                }

                _unmatched.Add(frame);
            }
        }
        catch (ChannelClosedException)
        {
            Assert.Fail($"The socket closed ({socket.CloseStatus} {socket.CloseStatusDescription}) before a '{type ?? "any"}' frame.");
            throw;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"No '{type ?? "any"}' frame within {Deadline.TotalSeconds:0} s.");
            throw;
        }
    }

    /// <summary>Waits until the server closes the socket (reading and dropping frames meanwhile); returns the close status.</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync()
    {
        await _reading.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        return socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                await _reading.WaitAsync(timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            // already gone
        }

        socket.Abort();
        await _reading;
        socket.Dispose();
    }

    private async Task ReadAllAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                try
                {
                    using var document = JsonDocument.Parse(buffer.AsMemory(0, count));
                    await _frames.Writer.WriteAsync(document.RootElement.Clone());
                }
                catch (JsonException)
                {
                    NonJsonFrames++;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the connection dropped or was aborted
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
