using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Atrium.Chat.Domain;
using Atrium.Chat.Protocol;
using Microsoft.Extensions.Logging;

namespace Atrium.Chat.Sockets;

/// <summary>
/// One authenticated socket. A receive loop handles the client's frames (in buffers rented per message: an idle socket
/// holds none); a send loop is the only writer and drains a bounded outbox (a client that falls
/// <see cref="ChatOptions.OutboxCapacity"/> frames behind, or whose write stalls on TCP backpressure for
/// <see cref="WriteTimeout"/>, is closed with 1013 and resumes from its cursor). Stream events are written strictly in position order: the send loop keeps the last
/// position written, drops what is older, writes the next one from the push itself, and on a gap (a push lost on the
/// way, or one that overtook another) reads the missing events from the database. A periodic catch-up read heals a
/// lost push even when no later one comes.
/// </summary>
internal sealed partial class ChatConnection
{
    private const int CatchUpPage = 200;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxExpiryWait = TimeSpan.FromDays(1);

    /// <summary>A write that the client's TCP window has not let through in this long means a client that stopped reading.</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The first buffer a received message is read into; it grows (rented) up to <see cref="ChatLimits.MaxFrameBytes"/>.</summary>
    private const int ReceiveChunk = 4096;

    /// <summary>The close reason of an expired token (close code 4401).</summary>
    public const string TokenExpiredReason = "The access token expired: reconnect with a fresh one and hello {since}.";

    private const string SlowReason = "Too slow: you stopped reading; reconnect with hello {since}.";

    private readonly WebSocket _socket;
    private readonly SocketServices _services;
    private readonly CancellationToken _aborted;
    private readonly Channel<Outgoing> _outbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _writeDeadline;
    private readonly Lock _gate = new();
    private long _lastSent;
    private WebSocketCloseStatus? _closeStatus;
    private string _closeReason = "";

    public ChatConnection(
        WebSocket socket, long userId, string? device, DateTimeOffset? expiresAt, SocketServices services, CancellationToken aborted)
    {
        _socket = socket;
        _services = services;
        _aborted = aborted;
        UserId = userId;
        Device = device;
        ExpiresAt = expiresAt;
        _writeDeadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _outbox = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(services.Options.Value.OutboxCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public long UserId { get; }

    public string? Device { get; }

    /// <summary>When the access token of the socket's <c>hello</c> expires (null: never); the socket is closed with 4401 then.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Hands a stream event to the send loop (ignored when the socket is past it already).</summary>
    public void PushStream(long pos, string? tail)
    {
        if (pos > Volatile.Read(ref _lastSent))
        {
            Enqueue(new Outgoing(pos, tail));
        }
    }

    public void PushFrame(string frame) => Enqueue(Outgoing.Frame(frame));

    /// <summary>Ends the connection with the given close code (the first reason given wins).</summary>
    public void Stop(WebSocketCloseStatus status, string reason)
    {
        lock (_gate)
        {
            if (_closeStatus is not null)
            {
                return;
            }

            _closeStatus = status;
            _closeReason = reason;
        }

        if (status == ChatCloseCodes.TryAgainLater)
        {
            _services.Metrics.SlowClosed();
        }

        _stop.Cancel();
    }

    /// <summary>Writes <c>welcome</c>, then runs until either side closes; replays from <paramref name="start"/> when <paramref name="replay"/>.</summary>
    public async Task RunAsync(string welcome, long start, bool replay)
    {
        Volatile.Write(ref _lastSent, start);
        await WriteAsync(welcome);
        if (replay)
        {
            Enqueue(Outgoing.CatchUp);
        }

        var sending = SendLoopAsync();
        var receiving = ReceiveLoopAsync();
        var catchingUp = CatchUpTimerAsync();
        var expiring = ExpireAsync();
        await Task.WhenAny(sending, receiving);
        Stop(WebSocketCloseStatus.NormalClosure, "");
        await sending;
        await CloseAsync();
        if (await Task.WhenAny(receiving, Task.Delay(CloseTimeout, _services.Time, CancellationToken.None)) != receiving)
        {
            _socket.Abort();
        }

        await receiving;
        await catchingUp;
        await expiring;
        _writeDeadline.Dispose();
    }

    private void Enqueue(Outgoing item)
    {
        if (!_outbox.Writer.TryWrite(item))
        {
            Stop(ChatCloseCodes.TryAgainLater, SlowReason);
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            var reader = _outbox.Reader;
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                while (!_stop.IsCancellationRequested && reader.TryRead(out var item))
                {
                    await SendAsync(item);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopped, or the client went away
        }
        catch (WebSocketException)
        {
            Stop(WebSocketCloseStatus.NormalClosure, ""); // the client went away
        }
        catch (Exception ex)
        {
            LogFailed(_services.Logger, UserId, ex);
            Stop(ChatCloseCodes.ServerError, "Server error.");
        }
    }

    private async Task SendAsync(Outgoing item)
    {
        if (item.Pos == 0)
        {
            await WriteAsync(item.Body!);
        }
        else if (item.Pos < 0)
        {
            await CatchUpAsync();
        }
        else if (item.Pos == _lastSent + 1 && item.Body is { } tail)
        {
            await WriteAsync(ChatJson.WithPos(item.Pos, tail));
            Volatile.Write(ref _lastSent, item.Pos);
        }
        else if (item.Pos > _lastSent)
        {
            await CatchUpAsync(); // a gap: the events in between are committed (positions commit in order per user)
        }
    }

    /// <summary>Writes every event of the user's stream after the last one written, from the primary.</summary>
    private async Task CatchUpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var rows = await _services.Streams.ReadAsync(UserId, _lastSent, CatchUpPage, primary: true, _aborted);
            if (rows.Count == 0)
            {
                return;
            }

            foreach (var frame in await _services.Views.EventsAsync(UserId, rows, _aborted))
            {
                await WriteAsync(frame);
            }

            Volatile.Write(ref _lastSent, rows[^1].Pos);
            if (rows.Count < CatchUpPage)
            {
                return;
            }
        }
    }

    private async Task CatchUpTimerAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(_services.Options.Value.CatchUpInterval, _services.Time);
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (_outbox.Reader.Count == 0)
                {
                    Enqueue(Outgoing.CatchUp);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    /// <summary>Closes the socket with 4401 when its token expires: a socket never outlives the credential it opened with.</summary>
    private async Task ExpireAsync()
    {
        if (ExpiresAt is not { } expiresAt)
        {
            return;
        }

        try
        {
            // In steps of at most a day: Task.Delay takes no more than ~49 days, and the clock may be moved in tests.
            while (expiresAt - _services.Time.GetUtcNow() is { } left && left > TimeSpan.Zero)
            {
                await Task.Delay(left < MaxExpiryWait ? left : MaxExpiryWait, _services.Time, _stop.Token);
            }

            Stop(ChatCloseCodes.Unauthorized, TokenExpiredReason);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                // Waits for the next message without a buffer (a zero-byte read): buffers are rented per message.
                var next = await _socket.ReceiveAsync(Memory<byte>.Empty, _aborted);
                if (next.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
                try
                {
                    var count = 0;
                    var result = next;
                    while (!result.EndOfMessage)
                    {
                        if (count == buffer.Length)
                        {
                            if (count >= ChatLimits.MaxFrameBytes)
                            {
                                Stop(ChatCloseCodes.MessageTooBig, $"Frames are limited to {ChatLimits.MaxFrameBytes} bytes.");
                                return;
                            }

                            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, ChatLimits.MaxFrameBytes));
                            buffer.AsSpan(0, count).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }

                        result = await _socket.ReceiveAsync(buffer.AsMemory(count, Math.Min(buffer.Length, ChatLimits.MaxFrameBytes) - count), _aborted);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            return;
                        }

                        count += result.Count;
                    }

                    if (_stop.IsCancellationRequested)
                    {
                        continue; // closing: read until the client's close frame, ignore the rest
                    }

                    if (result.MessageType == WebSocketMessageType.Binary)
                    {
                        Error("bad_request", "Frames are JSON text, not binary.");
                        continue;
                    }

                    await HandleAsync(buffer.AsMemory(0, count));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
        catch (WebSocketException)
        {
            // the client went away
        }
        catch (Exception ex)
        {
            LogFailed(_services.Logger, UserId, ex);
            Stop(ChatCloseCodes.ServerError, "Server error.");
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> json)
    {
        ClientFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize<ClientFrame>(json.Span, ChatJson.Options);
        }
        catch (JsonException ex)
        {
            Error("bad_request", $"The frame is not valid JSON for this protocol: {ex.Message}");
            return;
        }

        switch (frame?.Type)
        {
            case "send":
                await HandleSendAsync(frame);
                break;
            case "ack" when frame.Pos is { } pos and >= 0:
                _services.Acks.Record(UserId, Device, Math.Min(pos, Volatile.Read(ref _lastSent)));
                break;
            case "read" when frame is { ConversationId: { } conversationId, Seq: { } seq }:
                if (!await _services.Chat.ReadAsync(UserId, conversationId, seq, _aborted))
                {
                    Error("not_found", "No such conversation.");
                }

                break;
            case "typing" when frame.ConversationId is { } conversationId:
                if (!await _services.Chat.TypingAsync(UserId, conversationId, _aborted))
                {
                    Error("not_found", "No such conversation.");
                }

                break;
            case "ping":
                PushFrame(ChatJson.Serialize(new PongFrame()));
                break;
            case "hello":
                Error("bad_request", "Already authenticated: hello is the first frame only.");
                break;
            case "ack" or "read" or "typing":
                Error("bad_request", $"{frame.Type} is missing a field or has an invalid one (see docs/chat-protocol.md).");
                break;
            default:
                Error("bad_request", $"Unknown frame type '{frame?.Type}'.");
                break;
        }
    }

    private async Task HandleSendAsync(ClientFrame frame)
    {
        if (frame.ConversationId is not { } conversationId)
        {
            Error("bad_request", "send needs a conversationId.", frame.ClientMessageId);
            return;
        }

        var result = await _services.Chat.SendAsync(UserId, conversationId, frame.ClientMessageId, frame.Text, _aborted);
        switch (result.Status)
        {
            case SendStatus.Sent or SendStatus.Duplicate:
                var message = result.Message!;
                PushFrame(ChatJson.Serialize(new SentFrame(
                    ChatViews.Id(conversationId), message.ClientMessageId, message.Seq, ChatViews.Id(message.MessageId))));
                break;
            case SendStatus.NotFound:
                Error("not_found", "No such conversation.", frame.ClientMessageId);
                break;
            case SendStatus.RateLimited:
                PushFrame(ChatJson.Serialize(new ErrorFrame(
                    "rate_limited", "Sending too fast; retry later.", frame.ClientMessageId,
                    (long)Math.Ceiling(result.RetryAfter!.Value.TotalMilliseconds))));
                break;
            default:
                Error("bad_request", result.Error ?? "Invalid message.", frame.ClientMessageId);
                break;
        }
    }

    private void Error(string code, string message, string? reference = null) =>
        PushFrame(ChatJson.Serialize(new ErrorFrame(code, message, reference)));

    /// <summary>
    /// Writes one frame within <see cref="WriteTimeout"/>. A write blocked on TCP backpressure cannot otherwise be
    /// interrupted; cancelling it aborts the socket (no close frame can pass the unread bytes anyway), which releases
    /// the connection and its buffers; the client reconnects with <c>hello {since}</c>.
    /// </summary>
    private async Task WriteAsync(string frame)
    {
        _writeDeadline.CancelAfter(WriteTimeout);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, _writeDeadline.Token);
        }
        catch (OperationCanceledException) when (!_aborted.IsCancellationRequested)
        {
            Stop(ChatCloseCodes.TryAgainLater, SlowReason);
            throw;
        }

        if (!_writeDeadline.TryReset())
        {
            // The deadline fired as the write completed: as slow as a stalled one.
            Stop(ChatCloseCodes.TryAgainLater, SlowReason);
            throw new OperationCanceledException(_writeDeadline.Token);
        }
    }

    private async Task CloseAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_aborted);
        timeout.CancelAfter(CloseTimeout);
        try
        {
            await _socket.CloseOutputAsync(_closeStatus ?? WebSocketCloseStatus.NormalClosure, _closeReason, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            _socket.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat: the socket of user {UserId} failed")]
    private static partial void LogFailed(ILogger logger, long userId, Exception exception);
}
