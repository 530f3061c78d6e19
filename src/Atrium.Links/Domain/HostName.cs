namespace Atrium.Links.Domain;

/// <summary>Host-name helpers shared by the URL rules; all span-based, no allocation.</summary>
internal static class HostName
{
    /// <summary>
    /// The host of a "host[:port]" text (a URI authority without user info, a Host header, or a bare
    /// host): without the port, without IPv6 brackets and without trailing dots. Case is kept;
    /// compare case-insensitively.
    /// </summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> hostAndPort)
    {
        var host = hostAndPort;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            host = close < 0 ? host[1..] : host[1..close];
        }
        else
        {
            var colon = host.IndexOf(':');
            if (colon >= 0 && colon == host.LastIndexOf(':'))
            {
                host = host[..colon];
            }
        }

        return host.TrimEnd('.');
    }
}
