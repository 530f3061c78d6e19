using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;

namespace Atrium.Links.Domain;

/// <summary>
/// Decides whether a URL may be the target of a short link. It only validates: the URL is stored
/// and redirected to exactly as given, so nothing here rewrites it.
/// </summary>
/// <param name="ownHosts">Atrium's own public host names (a port, if given, is ignored).</param>
/// <param name="blockedHosts">Hosts refused as targets, each together with all of its subdomains.</param>
/// <param name="allowPrivateTargets">
/// Accept loopback, private-network and other non-public addresses and local names (an intranet deployment);
/// by default they are refused, so a public short link cannot lead into the network it is served from.
/// </param>
/// <remarks>
/// Only the URL's text is judged: a public DNS name that resolves to a private address is not caught here (it
/// may resolve differently when followed — DNS rebinding). The redirect is followed by the visitor's browser,
/// not by Atrium, so that is the browser's own network's concern; a server-side fetcher of targets (a preview
/// or safety scanner) would have to pin and check the resolved address itself.
/// </remarks>
internal sealed class TargetUrlPolicy(
    IReadOnlyCollection<string> ownHosts, IReadOnlyCollection<string> blockedHosts, bool allowPrivateTargets = false)
{
    public const int MaxLength = 2048;

    private const string Required = "A target URL is required.";
    private const string NotAbsolute =
        "The target URL must be absolute, starting with http:// or https:// and a host, for example https://example.com/page.";
    private const string NotWellFormed = "The target URL is not a well-formed URL.";
    private const string NoHost = "The target URL must include a host name, for example https://example.com/.";
    private const string HasCredentials =
        "The target URL must not contain credentials (a user name or password before '@').";
    private const string PointsToAtrium = "The target URL must not point to this service itself.";
    private const string NotAscii =
        "The target URL must be ASCII, as it is sent in the Location header: percent-encode other characters "
        + "(é is %C3%A9) and write an international host name in its xn-- (punycode) form.";
    private const string TooLong = "The target URL must be at most 2,048 characters long.";
    private const string BadCharacters =
        "The target URL must not contain spaces, line breaks or other whitespace or control characters; "
        + "percent-encode them (a space is %20).";

    private static readonly IdnMapping Idn = new();
    private static readonly SearchValues<char> AuthorityEnd = SearchValues.Create("/?#\\");

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _ownHosts =
        HostSet(ownHosts).GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _blocked =
        HostSet(blockedHosts).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True when <paramref name="url"/> may be shortened; else false with a message.</summary>
    /// <param name="url">The target URL exactly as the client sent it.</param>
    /// <param name="requestHost">The Host of the current request (a port, if any, is ignored).</param>
    /// <param name="error">Why the URL is refused, in English; null when it is accepted.</param>
    public bool TryValidate(string? url, string? requestHost, [NotNullWhen(false)] out string? error)
    {
        error = Check(url, requestHost);
        return error is null;
    }

    private string? Check(string? url, string? requestHost)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return Required;
        }

        if (url.Length > MaxLength)
        {
            return TooLong;
        }

        if (HasWhitespaceOrControl(url))
        {
            return BadCharacters;
        }

        if (!Ascii.IsValid(url))
        {
            return NotAscii;
        }

        var schemeLength = SchemeLength(url);
        if (schemeLength < 0)
        {
            return NotAbsolute;
        }

        var scheme = url.AsSpan(0, schemeLength);
        if (!scheme.Equals(Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase)
            && !scheme.Equals(Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            return $"Only http:// and https:// target URLs are allowed, not '{scheme}:'.";
        }

        // "http:example.com" or "http:/example.com" are relative references to browsers: require "//".
        var afterScheme = url.AsSpan(schemeLength + 1);
        if (!afterScheme.StartsWith("//"))
        {
            return NotAbsolute;
        }

        var authority = afterScheme[2..];
        var end = authority.IndexOfAny(AuthorityEnd);
        if (end >= 0)
        {
            authority = authority[..end];
        }

        // Checked on the raw text too: "http://@host/" has an empty user info that Uri does not report.
        if (authority.Contains('@'))
        {
            return HasCredentials;
        }

        if (HostName.Normalize(authority).IsEmpty)
        {
            return NoHost;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return NotWellFormed;
        }

        if (uri.UserInfo.Length > 0)
        {
            return HasCredentials;
        }

        var host = HostName.Normalize(uri.Host);
        var idnHost = HostName.Normalize(uri.IdnHost);
        if (host.IsEmpty)
        {
            return NoHost;
        }

        if (IsOwnHost(host, requestHost) || IsOwnHost(idnHost, requestHost))
        {
            return PointsToAtrium;
        }

        // What a browser will connect to: System.Uri leaves some IPv4 spellings as names ("127.0.0.1.").
        var isName = uri.HostNameType is UriHostNameType.Dns or UriHostNameType.Basic;
        IPAddress? address = null;
        if (isName)
        {
            switch (Ipv4Literal.TryParse(idnHost, out address))
            {
                case Ipv4Literal.Result.Invalid:
                    return $"The target URL's host '{host}' ends in a number but is not a valid IPv4 address.";
                case Ipv4Literal.Result.Address:
                    isName = false;
                    break;
            }
        }
        else if (!IPAddress.TryParse(WithoutScope(idnHost), out address))
        {
            return NotWellFormed;
        }

        var canonical = address?.ToString();
        if (canonical is not null && IsOwnHost(canonical, requestHost))
        {
            return PointsToAtrium;
        }

        if (IsBlocked(host, isName) || IsBlocked(idnHost, isName) || (canonical is not null && IsBlocked(canonical, false)))
        {
            return $"Links to '{host}' are not allowed.";
        }

        if (allowPrivateTargets)
        {
            return null;
        }

        if (address is not null && SpecialAddresses.Classify(address) is { } kind)
        {
            return $"The target URL points to a private or loopback address ({canonical}: {kind}), which is not reachable "
                + "from the public internet; short links must lead to public hosts.";
        }

        if (address is null && LocalHostNames.Classify(idnHost) is { } local)
        {
            return $"The target URL points to '{host}', {local} on a local network; short links must lead to public hosts.";
        }

        return null;
    }

    /// <summary>An IPv6 zone ("fe80::1%25eth0") names a local interface: it is not part of the address.</summary>
    private static ReadOnlySpan<char> WithoutScope(ReadOnlySpan<char> host)
    {
        var percent = host.IndexOf('%');
        return percent < 0 ? host : host[..percent];
    }

    private bool IsOwnHost(ReadOnlySpan<char> host, string? requestHost)
    {
        if (requestHost is not null
            && host.Equals(HostName.Normalize(requestHost), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return _ownHosts.Contains(host);
    }

    /// <summary>A blocked entry matches the host itself and, for host names, any subdomain of it.</summary>
    private bool IsBlocked(ReadOnlySpan<char> host, bool isName)
    {
        while (true)
        {
            if (_blocked.Contains(host))
            {
                return true;
            }

            var dot = host.IndexOf('.');
            if (!isName || dot < 0)
            {
                return false;
            }

            host = host[(dot + 1)..];
        }
    }

    private static bool HasWhitespaceOrControl(string url)
    {
        foreach (var c in url)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)
                || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The length of an RFC 3986 scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"), or -1.</summary>
    private static int SchemeLength(string url)
    {
        if (url.Length == 0 || !char.IsAsciiLetter(url[0]))
        {
            return -1;
        }

        for (var i = 1; i < url.Length; i++)
        {
            var c = url[i];
            if (c == ':')
            {
                return i;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>Normalised entries, each also in its ASCII (punycode) form so "bücher.de" matches either spelling.</summary>
    private static FrozenSet<string> HostSet(IReadOnlyCollection<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in hosts)
        {
            var host = HostName.Normalize((entry ?? string.Empty).AsSpan().Trim()).ToString();
            if (host.Length == 0)
            {
                continue;
            }

            set.Add(host);
            if (TryGetAscii(host, out var ascii))
            {
                set.Add(ascii);
            }
        }

        return set.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    private static bool TryGetAscii(string host, [NotNullWhen(true)] out string? ascii)
    {
        try
        {
            ascii = Idn.GetAscii(host);
            return true;
        }
        catch (ArgumentException)
        {
            ascii = null;
            return false;
        }
    }
}
