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
}
