using System.Net;

namespace Atrium.Links.Domain;

/// <summary>
/// Reads a host the way browsers do (the WHATWG URL standard's IPv4 parser): a host whose last label is a
/// number is an IPv4 address, in any of the forms browsers accept — <c>2130706433</c>, <c>0x7f.1</c>,
/// <c>0177.0.0.1</c>, <c>127.1</c>, <c>127.0.0.1.</c> — or, if it does not parse, no valid URL at all.
/// System.Uri canonicalises most of these but not all (a trailing dot leaves it a DNS name), and the target is
/// redirected to exactly as written, so what counts is what a browser will connect to.
/// </summary>
internal static class Ipv4Literal
{
    public enum Result
    {
        /// <summary>A host name: its last label is not a number.</summary>
        NotAnAddress,

        /// <summary>An IPv4 address.</summary>
        Address,

        /// <summary>Ends in a number but is no valid IPv4 address: browsers refuse the URL.</summary>
        Invalid,
    }

    /// <summary>Parses <paramref name="host"/> (without a port; trailing dots are ignored).</summary>
    public static Result TryParse(ReadOnlySpan<char> host, out IPAddress? address)
    {
        address = null;
        host = host.TrimEnd('.');
        var lastDot = host.LastIndexOf('.');
        var last = lastDot < 0 ? host : host[(lastDot + 1)..];
        if (last.IsEmpty || (!IsAllDigits(last) && !TryParseNumber(last, out _)))
        {
            return Result.NotAnAddress;
        }

        Span<ulong> parts = stackalloc ulong[4];
        var count = 0;
        foreach (var range in host.Split('.'))
        {
            if (count == 4 || !TryParseNumber(host[range], out var value))
            {
                return Result.Invalid;
            }

            parts[count++] = value;
        }

        for (var i = 0; i < count - 1; i++)
        {
            if (parts[i] > 255)
            {
                return Result.Invalid;
            }
        }

        // The last number fills the bytes the others left: 127.1 is 127.0.0.1, 2130706433 is 127.0.0.1.
        var lastValue = parts[count - 1];
        if (lastValue >= 1UL << (8 * (5 - count)))
        {
            return Result.Invalid;
        }

        var ipv4 = lastValue;
        for (var i = 0; i < count - 1; i++)
        {
            ipv4 += parts[i] << (8 * (3 - i));
        }

        address = new IPAddress([(byte)(ipv4 >> 24), (byte)(ipv4 >> 16), (byte)(ipv4 >> 8), (byte)ipv4]);
        return Result.Address;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>One part: decimal, <c>0x</c> hexadecimal or <c>0</c>-prefixed octal; values past 2^32 are refused.</summary>
    private static bool TryParseNumber(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        var radix = 10u;
        if (text.Length >= 2 && text[0] == '0' && text[1] is 'x' or 'X')
        {
            radix = 16;
            text = text[2..];
        }
        else if (text.Length >= 2 && text[0] == '0')
        {
            radix = 8;
            text = text[1..];
        }

        foreach (var c in text)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => (uint)(c - '0'),
                >= 'a' and <= 'f' => (uint)(c - 'a' + 10),
                >= 'A' and <= 'F' => (uint)(c - 'A' + 10),
                _ => uint.MaxValue,
            };
            if (digit >= radix)
            {
                return false;
            }

            // Saturate: anything past 2^32 is invalid wherever it stands, and must not wrap around to look valid.
            value = Math.Min(value * radix + digit, 1UL << 33);
        }

        return true;
    }
}
