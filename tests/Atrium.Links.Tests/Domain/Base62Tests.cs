using Atrium.Links.Domain;
using CsCheck;
using Xunit;

namespace Atrium.Links.Tests.Domain;

public sealed class Base62Tests
{
    [Theory]
    [InlineData(0L, 1, "0")]
    [InlineData(0L, 7, "0000000")]
    [InlineData(9L, 1, "9")]
    [InlineData(10L, 1, "A")]
    [InlineData(36L, 1, "a")]
    [InlineData(61L, 1, "z")]
    [InlineData(62L, 2, "10")]
    [InlineData(62L, 7, "0000010")]
    [InlineData(3_521_614_606_207L, 7, "zzzzzzz")]
    [InlineData(long.MaxValue, 11, "AzL8n0Y58m7")]
    public void Encode_writes_fixed_width_digits(long value, int width, string expected)
    {
        Assert.Equal(expected, Base62.Encode(value, width));
    }

    [Theory]
    [InlineData(-1L, 7)]
    [InlineData(long.MinValue, 11)]
    [InlineData(0L, 0)]
    [InlineData(62L, 1)]
    [InlineData(3_521_614_606_208L, 7)]
    public void Encode_refuses_negative_values_and_values_wider_than_the_width(long value, int width)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Base62.Encode(value, width));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("z", 61L)]
    [InlineData("10", 62L)]
    [InlineData("000010", 62L)]
    [InlineData("zzzzzzz", 3_521_614_606_207L)]
    [InlineData("AzL8n0Y58m7", long.MaxValue)]
    public void TryDecode_reads_digits(string text, long expected)
    {
        Assert.True(Base62.TryDecode(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("ab c")]
    [InlineData("abc_")]
    [InlineData("é")]
    [InlineData("AzL8n0Y58m8")]
    [InlineData("zzzzzzzzzzzz")]
    public void TryDecode_refuses_empty_foreign_and_overflowing_text(string text)
    {
        Assert.False(Base62.TryDecode(text, out _));
    }

    [Fact]
    public void Every_alphabet_character_is_its_own_digit()
    {
        for (var digit = 0; digit < Base62.Alphabet.Length; digit++)
        {
            Assert.Equal(digit, Base62.DigitOf(Base62.Alphabet[digit]));
        }

        Assert.Equal(62, Base62.Alphabet.Distinct().Count());
    }

    [Fact]
    public void Encode_then_TryDecode_round_trips_any_non_negative_long()
    {
        Gen.Long[0, long.MaxValue].Sample(value =>
        {
            var text = Base62.Encode(value, 11);
            Assert.Equal(11, text.Length);
            Assert.True(Base62.TryDecode(text, out var decoded));
            Assert.Equal(value, decoded);
        }, iter: 10_000);
    }

    [Fact]
    public void Fixed_width_codes_sort_like_their_values()
    {
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Long[0, long.MaxValue]).Sample((a, b) =>
        {
            var order = string.CompareOrdinal(Base62.Encode(a, 11), Base62.Encode(b, 11));
            Assert.Equal(a.CompareTo(b), Math.Sign(order));
        }, iter: 10_000);
    }
}
