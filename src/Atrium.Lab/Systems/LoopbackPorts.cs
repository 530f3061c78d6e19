using System.Net;
using System.Net.Sockets;

namespace Atrium.Lab.Systems;

/// <summary>Free 127.0.0.1 ports, never the same one twice in this process (two servers starting at once).</summary>
internal static class LoopbackPorts
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
