using System.Diagnostics;

namespace Atrium.Testing.Servers;

/// <summary>Bounded waiting for a server to reach a state.</summary>
internal static class Poll
{
    /// <summary>
    /// Asks <paramref name="ready"/> every <paramref name="interval"/> until it answers true; past
    /// <paramref name="timeout"/> throws a <see cref="TimeoutException"/> with <paramref name="explain"/>'s text
    /// (typically the server's log tail). An exception from <paramref name="ready"/> ends the wait at once.
    /// </summary>
    public static async Task UntilAsync(
        Func<CancellationToken, Task<bool>> ready,
        TimeSpan timeout,
        Func<string> explain,
        CancellationToken cancellationToken,
        TimeSpan? interval = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await ready(cancellationToken))
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s: {explain()}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
