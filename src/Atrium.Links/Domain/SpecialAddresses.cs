using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Atrium.Links.Domain;

/// <summary>
/// The IP ranges a public short link must not lead to (IANA's special-purpose registries, RFC 6890 and later):
/// loopback, private networks, link-local, carrier-grade NAT, multicast, broadcast, documentation, benchmarking
/// and reserved space — and IPv6 forms that carry such an IPv4 address inside them (IPv4-mapped
/// <c>::ffff:127.0.0.1</c>, IPv4-compatible, 6to4, NAT64).
/// </summary>
internal static class SpecialAddresses
{
    private static readonly (uint Network, int Prefix, string Kind)[] Ipv4Ranges =
    [
        (0x00000000, 8, "unspecified, 'this network'"),
        (0x0A000000, 8, "private network"),
        (0x64400000, 10, "carrier-grade NAT shared space"),
        (0x7F000000, 8, "loopback"),
        (0xA9FE0000, 16, "link-local"),
        (0xAC100000, 12, "private network"),
        (0xC0000000, 24, "IETF protocol assignments"),
        (0xC0000200, 24, "documentation"),
        (0xC0586300, 24, "6to4 relay anycast"),
        (0xC0A80000, 16, "private network"),
        (0xC6120000, 15, "benchmarking"),
        (0xC6336400, 24, "documentation"),
        (0xCB007100, 24, "documentation"),
        (0xE0000000, 4, "multicast"),
        (0xFFFFFFFF, 32, "broadcast"),
        (0xF0000000, 4, "reserved"),
    ];

    /// <summary>IPv6 ranges by their first 64 bits (every prefix here is at most /64).</summary>
    private static readonly (ulong Network, int Prefix, string Kind)[] Ipv6Ranges =
    [
        (0x0064_FF9B_0001_0000, 48, "local-use NAT64 (private network)"),
        (0x0100_0000_0000_0000, 64, "discard-only"),
        (0x2001_0002_0000_0000, 48, "benchmarking"),
        (0x2001_0010_0000_0000, 28, "ORCHID (reserved)"),
        (0x2001_0020_0000_0000, 28, "ORCHIDv2 (reserved)"),
        (0x2001_0DB8_0000_0000, 32, "documentation"),
        (0x3FFF_0000_0000_0000, 20, "documentation"),
        (0xFC00_0000_0000_0000, 7, "unique local (private network)"),
        (0xFE80_0000_0000_0000, 10, "link-local"),
        (0xFEC0_0000_0000_0000, 10, "site-local (deprecated private network)"),
        (0xFF00_0000_0000_0000, 8, "multicast"),
    ];

    /// <summary>What kind of non-public address <paramref name="address"/> is, or null when it is public.</summary>
    public static string? Classify(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return "unknown address family";
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            ? ClassifyIpv4(BinaryPrimitives.ReadUInt32BigEndian(bytes[..written]))
            : ClassifyIpv6(bytes[..written]);
    }

    private static string? ClassifyIpv4(uint address)
    {
        foreach (var (network, prefix, kind) in Ipv4Ranges)
        {
            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            if ((address & mask) == network)
            {
                return kind;
            }
        }

        return null;
    }

    private static string? ClassifyIpv6(ReadOnlySpan<byte> b)
    {
        var high = BinaryPrimitives.ReadUInt64BigEndian(b);
        var low = BinaryPrimitives.ReadUInt64BigEndian(b[8..]);
        var embedded = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);
        if (high == 0 && low == 0)
        {
            return "unspecified";
        }

        if (high == 0 && low == 1)
        {
            return "loopback";
        }

        if (high == 0 && low >> 32 == 0xFFFF)
        {
            return Embedded("IPv4-mapped", embedded);
        }

        if (high == 0 && low >> 32 == 0)
        {
            return Embedded("IPv4-compatible", embedded) ?? "IPv4-compatible (deprecated)";
        }

        if (high == 0x0064_FF9B_0000_0000 && low >> 32 == 0)
        {
            return Embedded("NAT64", embedded);
        }

        if (high >> 48 == 0x2002)
        {
            return Embedded("6to4", BinaryPrimitives.ReadUInt32BigEndian(b[2..]));
        }

        foreach (var (network, prefix, kind) in Ipv6Ranges)
        {
            if (high >> (64 - prefix) == network >> (64 - prefix))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>An IPv6 form around an IPv4 address is as private as the address inside it.</summary>
    private static string? Embedded(string form, uint ipv4) =>
        ClassifyIpv4(ipv4) is { } kind ? $"{form} {kind}" : null;
}
