using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Atrium.Gateway.Tests;

/// <summary>
/// A destination that fails mid-request, deterministically: it answers <c>GET</c>s (the gateway's health probes)
/// with 200, and for any other method reads the request head, counts it, and resets the connection without
/// answering — what a node that crashes while handling a POST looks like to the gateway.
/// </summary>
internal sealed class FailingDestination : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _unsafeRequests;

    public FailingDestination()
    {
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>How many non-GET requests reached this destination (and were cut off).</summary>
    public int UnsafeRequests => Volatile.Read(ref _unsafeRequests);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[16 * 1024];
            var head = new StringBuilder();
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    var text = head.ToString();
                    var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (end < 0)
                    {
                        continue;
                    }

                    if (!text.StartsWith("GET ", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _unsafeRequests);
                        socket.LingerState = new LingerOption(true, 0); // close = RST: the connection dies mid-request
                        return;
                    }

                    await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                    head.Clear();
                    head.Append(text[(end + 4)..]);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
                // The gateway went away or we are stopping.
            }
        }
    }
}
