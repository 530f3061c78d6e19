using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// A TCP forwarder on a loopback port in front of one server (Redis, an Atrium node) that injects faults on demand:
/// latency, connection resets, or dropped answers (<see cref="FaultMode"/>). The mode applies at once to
/// open connections too (chunk by chunk), so a client with long-lived connections (StackExchange.Redis) feels it.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private const int BufferBytes = 16 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly ConcurrentDictionary<long, ProxiedConnection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private long _nextConnection;
    private long _droppedAnswers;
    private long _resets;
    private volatile FaultMode _mode = FaultMode.Pass;
    private TimeSpan _latency;
    private double _dropProbability;

    public FaultProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAllAsync();
    }

    public int Port { get; }

    /// <summary>host:port of the proxy, for a Redis connection string.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public Uri HttpAddress => new($"http://127.0.0.1:{Port}");

    public FaultMode Mode => _mode;

    /// <summary>Answers dropped in <see cref="FaultMode.DropResponses"/> so far.</summary>
    public long DroppedAnswers => Interlocked.Read(ref _droppedAnswers);

    /// <summary>Connections reset in <see cref="FaultMode.Reset"/> so far.</summary>
    public long Resets => Interlocked.Read(ref _resets);

    public void Pass() => _mode = FaultMode.Pass;

    public void Delay(TimeSpan latency)
    {
        _latency = latency;
        _mode = FaultMode.Latency;
    }

    public void DropResponses(double probability)
    {
        _dropProbability = probability;
        _mode = FaultMode.DropResponses;
    }

    /// <summary>Resets every connection now and every new one until the mode changes.</summary>
    public void Reset()
    {
        _mode = FaultMode.Reset;
        foreach (var connection in _connections.Values)
        {
            Interlocked.Increment(ref _resets);
            connection.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }

        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        _stopping.Dispose();
    }

    private async Task AcceptAllAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        client.NoDelay = true;
        if (_mode == FaultMode.Reset)
        {
            Interlocked.Increment(ref _resets);
            ProxiedConnection.Abort(client);
            return;
        }

        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(_upstream, _stopping.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // The server is down: the client sees its connection reset, as it would without the proxy.
            upstream.Dispose();
            ProxiedConnection.Abort(client);
            return;
        }

        var id = Interlocked.Increment(ref _nextConnection);
        var connection = new ProxiedConnection(client, upstream);
        _connections[id] = connection;
        try
        {
            await Task.WhenAll(PumpAsync(connection, client, upstream, toClient: false), PumpAsync(connection, upstream, client, toClient: true));
        }
        finally
        {
            _connections.TryRemove(id, out _);
            connection.Abort();
        }
    }

    private async Task PumpAsync(ProxiedConnection connection, Socket from, Socket to, bool toClient)
    {
        var buffer = new byte[BufferBytes];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                switch (_mode)
                {
                    case FaultMode.Latency:
                        await Task.Delay(_latency, _stopping.Token);
                        break;
                    case FaultMode.Reset:
                        connection.Abort();
                        return;
                    case FaultMode.DropResponses when toClient && Random.Shared.NextDouble() < _dropProbability:
                        Interlocked.Increment(ref _droppedAnswers);
                        connection.Abort();
                        return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            connection.Abort();
        }
    }
}
