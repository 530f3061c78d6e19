using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Atrium.Testing;

namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// A chat client of <c>/ws</c> that reads one user's event stream for as long as it runs, the way the protocol tells a
/// client to (docs/chat-protocol.md): <c>hello {since}</c> with the highest <c>pos</c> processed, events with a
/// <c>pos</c> at or below it ignored (at-least-once delivery), and on any drop a reconnect — to whichever endpoint
/// <paramref name="endpoint"/> names then (a node, the other node, the gateway) — that resumes from that <c>pos</c>.
/// It keeps what a user would see: the messages of each conversation in arrival order, and any gap in <c>pos</c>.
/// </summary>
internal sealed class ChatReader(TestUser user, Func<Uri> endpoint) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SeenMessage>> _messages = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;
    private long _lastPos;
    private int _connections;
    private int _gaps;

    public TestUser User { get; } = user;

    /// <summary>Sockets opened (1 + reconnects).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Times an event arrived with a <c>pos</c> beyond the next one expected (must stay 0).</summary>
    public int PosGaps => Volatile.Read(ref _gaps);

    public long LastPos => Interlocked.Read(ref _lastPos);

    /// <summary>Messages of <paramref name="conversationId"/> as shown to the user, in arrival order.</summary>
    public IReadOnlyList<SeenMessage> MessagesOf(string conversationId) =>
        _messages.TryGetValue(conversationId, out var queue) ? [.. queue] : [];

    /// <summary>Connects and waits for the welcome, then keeps reading in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var first = await ConnectAsync(cancellationToken);
        _running = Task.Run(() => RunAsync(first), CancellationToken.None);
    }

    /// <summary>
    /// Waits (generously) until the user has seen message <paramref name="seq"/> of <paramref name="conversationId"/>;
    /// false when it never came (the invariant check then counts what is missing).
    /// </summary>
    public async Task<bool> WaitForAsync(string conversationId, long seq)
    {
        try
        {
            await Eventually.HoldsAsync(
                () => MessagesOf(conversationId).Any(m => m.Seq >= seq),
                $"{User.Username} sees message {seq} of conversation {conversationId}",
                TimeSpan.FromSeconds(60));
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(ClientWebSocket socket)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await ReadAsync(socket);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or JsonException)
            {
                // The node went away: reconnect below.
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                socket.Dispose();
                return;
            }

            socket.Dispose();
            try
            {
                socket = await ReconnectAsync();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
        }

        socket.Dispose();
    }

    private async Task<ClientWebSocket> ReconnectAsync()
    {
        for (var delay = 100; ; delay = Math.Min(delay * 2, 1000))
        {
            try
            {
                await Task.Delay(delay, _stopping.Token);
                return await ConnectAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException or InvalidOperationException or JsonException)
            {
                // Nobody there yet (a killed node, a gateway that has not ejected it): try again.
            }
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            var http = endpoint();
            var uri = new UriBuilder(http) { Scheme = http.Scheme == "https" ? "wss" : "ws", Path = "/ws" }.Uri;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(uri, timeout.Token);
            var hello = JsonSerializer.Serialize(new { type = "hello", token = User.AccessToken, since = LastPos });
            await socket.SendAsync(Encoding.UTF8.GetBytes(hello), WebSocketMessageType.Text, true, timeout.Token);
            Interlocked.Increment(ref _connections);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new WebSocketException("The connection or the hello timed out.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ReadAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(count), _stopping.Token);
                count += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            using var document = JsonDocument.Parse(buffer.AsMemory(0, count));
            Process(document.RootElement);
        }
    }

    private void Process(JsonElement frame)
    {
        if (!frame.TryGetProperty("pos", out var posElement) || frame.GetProperty("type").GetString() == "welcome")
        {
            return;
        }

        var pos = posElement.GetInt64();
        var last = LastPos;
        if (pos <= last)
        {
            return; // at-least-once: already processed
        }

        if (pos != last + 1)
        {
            Interlocked.Increment(ref _gaps);
        }

        Interlocked.Exchange(ref _lastPos, pos);
        if (frame.GetProperty("type").GetString() == "message")
        {
            var message = frame.GetProperty("message");
            var conversation = message.GetProperty("conversationId").GetString()!;
            _messages.GetOrAdd(conversation, _ => new ConcurrentQueue<SeenMessage>()).Enqueue(new SeenMessage(
                message.GetProperty("seq").GetInt64(),
                message.GetProperty("clientMessageId").GetString()!,
                message.GetProperty("text").GetString()!));
        }
    }
}
