using System.Net;
using System.Net.Sockets;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Http;

namespace Atrium.Links.Guessing;

/// <summary>
/// Who is guessing: the client address as <see cref="ClientIdentity.Address"/> sees it (behind the trusted proxies),
/// except that an IPv6 client counts as its whole /64 — one subscriber's network, whose addresses it can rotate through
/// freely — so that it cannot buy a fresh budget per address.
/// </summary>
internal static class GuessClient
{
    public static string Of(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is not { AddressFamily: AddressFamily.InterNetworkV6 } || address.IsIPv4MappedToIPv6)
        {
            return ClientIdentity.Address(http);
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"ip:{new IPAddress(bytes)}/64";
    }
}
