using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Xunit;

namespace Atrium.Chat.Tests.Support;

/// <summary>
/// A test client of /ws: a background loop reads every frame into a queue; tests wait for the next frame that matches
/// (with a generous deadline — a missing frame fails the test, a slow one does not).
/// </summary>
public sealed class ChatSocket : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly WebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _reading;
    private readonly List<JsonElement> _unmatched = [];

    private ChatSocket(WebSocket socket)
    {
        _socket = socket;
        _reading = ReadAllAsync();
    }

    public JsonElement Welcome { get; private set; }

    /// <summary>The close status the server sent, once the socket is closed.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<ChatSocket> HelloAsync(WebSocket socket, string token, long? since = null, string? device = null)
    {
        var chat = new ChatSocket(socket);
        await chat.SendAsync(new { type = "hello", token, since, device });
        chat.Welcome = await chat.NextAsync(f => f.Type() == "welcome", "welcome");
        return chat;
    }

    /// <summary>A socket that has not said hello (for the handshake tests).</summary>
    public static ChatSocket Raw(WebSocket socket) => new(socket);

    public async Task SendAsync(object frame) => await SendRawAsync(JsonSerializer.Serialize(frame));

    public async Task SendRawAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    /// <summary>
    /// The earliest frame not yet taken that matches <paramref name="match"/> (frames that do not match stay for later
    /// calls, in arrival order).
    /// </summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, string what)
    {
        var index = _unmatched.FindIndex(f => match(f));
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
                if (match(frame))
                {
                    return frame;
                }

                _unmatched.Add(frame);
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"No {what} within {Deadline.TotalSeconds:0} s.");
            throw;
        }
        catch (ChannelClosedException)
        {
            Assert.Fail($"The socket closed ({_socket.CloseStatus}) before {what}.");
            throw;
        }
    }

    /// <summary>Stream events (frames with a pos) until one matches; returns all of them in arrival order.</summary>
    public async Task<List<JsonElement>> EventsUntilAsync(Func<JsonElement, bool> last, string what)
    {
        var events = new List<JsonElement>();
        while (true)
        {
            var frame = await NextAsync(f => f.TryGetProperty("pos", out _), what);
            events.Add(frame);
            if (last(frame))
            {
                return events;
            }
        }
    }

    /// <summary>Waits until the server closes the socket; returns the close status.</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync()
    {
        await _reading.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        return _socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                await _reading.WaitAsync(timeout.Token); // the server answers the close
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            // already gone
        }

        _socket.Abort();
        await _reading;
        _socket.Dispose();
    }

    private async Task ReadAllAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        // Answer the server's close, as browsers do.
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                using var document = JsonDocument.Parse(buffer.AsMemory(0, count));
                await _frames.Writer.WriteAsync(document.RootElement.Clone());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            // the connection dropped (a killed server, or one that did not wait for the answer to its close)
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // aborted
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
