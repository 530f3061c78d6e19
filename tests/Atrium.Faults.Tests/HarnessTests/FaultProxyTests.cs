using System.Net;
using System.Net.Sockets;
using System.Text;
using Atrium.Faults.Tests.Harness;
using Xunit;

namespace Atrium.Faults.Tests.HarnessTests;

/// <summary>The <see cref="FaultProxy"/> does what each mode says, against a real TCP echo server.</summary>
public sealed class FaultProxyTests : IAsyncDisposable
{
    private readonly TcpListener _echo = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _received;

    public FaultProxyTests()
    {
        _echo.Start();
        _serving = ServeAsync();
    }

    [Fact]
    public async Task Passes_bytes_both_ways()
    {
        await using var proxy = new FaultProxy((IPEndPoint)_echo.LocalEndpoint);
        using var client = await ConnectAsync(proxy);
        Assert.Equal("ping", await RoundTripAsync(client, "ping"));
    }

    [Fact]
    public async Task Drops_the_answer_after_forwarding_the_request()
    {
        await using var proxy = new FaultProxy((IPEndPoint)_echo.LocalEndpoint);
        proxy.DropResponses(1.0);
        using var client = await ConnectAsync(proxy);
        await Assert.ThrowsAnyAsync<Exception>(() => RoundTripAsync(client, "write"));
        Assert.Equal(1, proxy.DroppedAnswers);
        Assert.True(Volatile.Read(ref _received) >= 1, "The request did not reach the server.");
    }

    [Fact]
    public async Task Resets_new_connections()
    {
        await using var proxy = new FaultProxy((IPEndPoint)_echo.LocalEndpoint);
        proxy.Reset();

        // The reset may reach the client while it is still completing the connect, or at its first read.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var client = await ConnectAsync(proxy);
            await RoundTripAsync(client, "ping");
        });
        Assert.True(proxy.Resets >= 1);
        proxy.Pass();
        using var again = await ConnectAsync(proxy);
        Assert.Equal("pong", await RoundTripAsync(again, "pong"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _echo.Stop();
        await _serving;
        _stop.Dispose();
    }

    private static async Task<TcpClient> ConnectAsync(FaultProxy proxy)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port, TestContext.Current.CancellationToken);
        return client;
    }

    /// <summary>Sends <paramref name="text"/> and reads the echo; throws when the connection is reset or closed first.</summary>
    private static async Task<string> RoundTripAsync(TcpClient client, string text)
    {
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), TestContext.Current.CancellationToken);
        var buffer = new byte[text.Length];
        await stream.ReadExactlyAsync(buffer, TestContext.Current.CancellationToken);
        return Encoding.ASCII.GetString(buffer);
    }

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _echo.AcceptSocketAsync(_stop.Token);
                _ = Task.Run(
                    async () =>
                    {
                        using (socket)
                        {
                            var buffer = new byte[1024];
                            try
                            {
                                int read;
                                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                                {
                                    Interlocked.Increment(ref _received);
                                    await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                                }
                            }
                            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                            {
                                // the proxy reset it
                            }
                        }
                    },
                    CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }
}
