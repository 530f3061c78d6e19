namespace Atrium.Links.Domain;

/// <summary>
/// Host names that by definition name something on the local machine or network, never a public site:
/// <c>localhost</c> and <c>*.localhost</c> (RFC 6761), <c>*.local</c> (multicast DNS, RFC 6762),
/// <c>*.internal</c> (ICANN's private-use top-level domain), <c>*.home.arpa</c> (RFC 8375), and single-label
/// names (<c>http://intranet/</c>), which resolvers complete with the local network's search domains.
/// </summary>
internal static class LocalHostNames
{
    private static readonly (string Suffix, string Kind)[] Suffixes =
    [
        ("localhost", "a loopback name"),
        ("local", "a multicast DNS (.local) name"),
        ("internal", "a private-use (.internal) name"),
        ("home.arpa", "a home network (.home.arpa) name"),
    ];

    /// <summary>Why <paramref name="host"/> (a DNS name without trailing dots) is local, or null when it may be public.</summary>
    public static string? Classify(ReadOnlySpan<char> host)
    {
        foreach (var (suffix, kind) in Suffixes)
        {
            if (host.Equals(suffix, StringComparison.OrdinalIgnoreCase)
                || (host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && host[^(suffix.Length + 1)] == '.'))
            {
                return kind;
            }
        }

        return host.Contains('.') ? null : "a single-label name, resolved within the local network";
    }
}
