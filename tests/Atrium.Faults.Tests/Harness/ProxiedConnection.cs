using System.Net.Sockets;

namespace Atrium.Faults.Tests.Harness;

/// <summary>One client connection through a <see cref="FaultProxy"/> and its connection to the server.</summary>
internal sealed class ProxiedConnection(Socket client, Socket upstream)
{
    private int _aborted;

    /// <summary>Resets both sides (RST, not FIN): the peers see "connection reset", as after a crash.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            Abort(client);
            Abort(upstream);
        }
    }

    public static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // already closed
        }
    }
}
