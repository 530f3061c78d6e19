namespace Atrium.Testing.Servers;

/// <summary>
/// Free 127.0.0.1 ports for servers, never the same one twice in this process: <see cref="FreePort"/> releases
/// the port it finds, so two servers starting at once could otherwise be handed the same one before either
/// binds it (seen here: a replica was cloned from another test's server). Readiness checks also make sure the
/// server answering on a port is the one started (another process can still take a port in between).
/// </summary>
internal static class LoopbackPort
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                var port = FreePort.Next();
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>
    /// A free port for a Redis Cluster node: its cluster bus listens on port + <paramref name="busOffset"/>, so both must be
    /// free. Drawn from 15,000–25,000 (buses 25,000–35,000), mostly below the kernel's ephemeral range (32,768 and up), where
    /// outgoing connections do not take ports between this check and the server's bind.
    /// </summary>
    public static int NextWithBus(int busOffset = 10_000)
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(15_000, 25_000);
                if (!Given.Contains(port) && !Given.Contains(port + busOffset) && IsFree(port) && IsFree(port + busOffset))
                {
                    Given.Add(port);
                    Given.Add(port + busOffset);
                    return port;
                }
            }

            throw new InvalidOperationException("No free port pair (port, port + 10,000) found for a Redis Cluster node.");
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
