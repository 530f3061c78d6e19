using System.Globalization;
using System.Net;
using Atrium.Links.Domain;
using CsCheck;
using Xunit;

namespace Atrium.Links.Tests.Domain;

/// <summary>The WHATWG URL standard's IPv4 host parser (what browsers connect to).</summary>
public sealed class Ipv4LiteralTests
{
    [Theory]
    [InlineData("1.2.3.4", "1.2.3.4")]
    [InlineData("16909060", "1.2.3.4")]
    [InlineData("0x01020304", "1.2.3.4")]
    [InlineData("1.2.772", "1.2.3.4")]
    [InlineData("1.131844", "1.2.3.4")]
    [InlineData("01.02.03.04", "1.2.3.4")]
    [InlineData("0x1.0X2.03.4.", "1.2.3.4")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("0x", "0.0.0.0")]
    [InlineData("4294967295", "255.255.255.255")]
    [InlineData("0xffffffff", "255.255.255.255")]
    [InlineData("037777777777", "255.255.255.255")]
    public void Reads_every_spelling_browsers_accept(string host, string expected)
    {
        Assert.Equal(Ipv4Literal.Result.Address, Ipv4Literal.TryParse(host, out var address));
        Assert.Equal(expected, address!.ToString());
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("123.example.com")]
    [InlineData("1example")]
    [InlineData("0xg")]
    [InlineData("localhost")]
    [InlineData("")]
    public void A_host_whose_last_label_is_no_number_is_a_name(string host)
    {
        Assert.Equal(Ipv4Literal.Result.NotAnAddress, Ipv4Literal.TryParse(host, out var address));
        Assert.Null(address);
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("0x100000000")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.65536")]
    [InlineData("1.16777216")]
    [InlineData("08.1")]
    [InlineData("1..2")]
    [InlineData("a.1")]
    [InlineData("99999999999999999999999999")]
    public void A_host_ending_in_a_number_that_is_no_address_is_invalid(string host)
    {
        Assert.Equal(Ipv4Literal.Result.Invalid, Ipv4Literal.TryParse(host, out _));
    }

    [Fact]
    public void Every_spelling_of_every_address_reads_as_that_address()
    {
        Gen.Select(Gen.UInt, Gen.Int[0, 5], Gen.Int[0, 2]).Sample((value, form, radix) =>
        {
            var expected = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
            var spelling = Spell(value, form, radix);
            Assert.Equal(Ipv4Literal.Result.Address, Ipv4Literal.TryParse(spelling, out var address));
            Assert.Equal(expected, address!.ToString());
        });
    }

    /// <summary><paramref name="value"/> as 4, 3, 2 or 1 numbers (or 4 with a trailing dot), each in decimal, octal or hex.</summary>
    private static string Spell(uint value, int form, int radix)
    {
        IEnumerable<ulong> parts = form switch
        {
            0 or 4 => [value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF],
            1 => [value >> 24, (value >> 16) & 0xFF, value & 0xFFFF],
            2 => [value >> 24, value & 0xFFFFFF],
            _ => [value],
        };
        var text = string.Join('.', parts.Select(part => radix switch
        {
            0 => part.ToString(CultureInfo.InvariantCulture),
            1 => "0" + Convert.ToString((long)part, 8),
            _ => "0x" + part.ToString("x", CultureInfo.InvariantCulture),
        }));
        return form == 4 ? text + "." : text;
    }
}
