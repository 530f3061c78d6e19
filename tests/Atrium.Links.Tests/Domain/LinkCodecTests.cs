using Atrium.Links.Domain;
using CsCheck;
using Xunit;

namespace Atrium.Links.Tests.Domain;

public sealed class LinkCodecTests
{
    private const ulong Key = 0x5EED_C0DE_1234_ABCDUL;

    private static readonly Gen<long> Ids = Gen.Long[0, LinkCodec.Capacity - 1];
    private static readonly Gen<string> Codes =
        Gen.Char[Base62.Alphabet].Array[LinkCodec.Length].Select(chars => new string(chars));

    // Computed once and checked against an independent re-implementation of the algorithm.
    private static readonly long[] PinnedIds = [0, 1, 2, 1_000, 3_521_614_606_207];
    private static readonly string[] PinnedCodes = ["fTWBCBA", "RQ3WW1C", "MbKJG9b", "qzjtehD", "sD2UpR3"];

    [Fact]
    public void Capacity_is_62_to_the_7th_and_codes_are_7_long()
    {
        Assert.Equal(7, LinkCodec.Length);
        Assert.Equal(3_521_614_606_208L, LinkCodec.Capacity);
    }

    [Fact]
    public void Decode_inverts_Encode_for_random_ids_and_keys()
    {
        Gen.Select(Gen.ULong, Ids).Sample((key, id) =>
        {
            var codec = new LinkCodec(key);
            var code = codec.Encode(id);
            Assert.Equal(id, codec.Decode(code));
            Assert.True(codec.TryDecode(code, out var decoded));
            Assert.Equal(id, decoded);
        }, iter: 100_000);
    }

    [Fact]
    public void Every_code_is_exactly_7_base62_characters()
    {
        Gen.Select(Gen.ULong, Ids).Sample((key, id) =>
        {
            var code = new LinkCodec(key).Encode(id);
            Assert.Equal(LinkCodec.Length, code.Length);
            Assert.All(code, c => Assert.Contains(c, Base62.Alphabet));
        }, iter: 100_000);
    }

    [Fact]
    public void Every_7_character_base62_string_is_the_code_of_exactly_one_id()
    {
        Gen.Select(Gen.ULong, Codes).Sample((key, code) =>
        {
            var codec = new LinkCodec(key);
            var id = codec.Decode(code);
            Assert.InRange(id, 0, LinkCodec.Capacity - 1);
            Assert.Equal(code, codec.Encode(id));
        }, iter: 100_000);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(Key)]
    [InlineData(ulong.MaxValue)]
    public void The_first_and_last_ids_round_trip(ulong key)
    {
        var codec = new LinkCodec(key);
        foreach (var id in new[] { 0L, 1L, LinkCodec.Capacity - 2, LinkCodec.Capacity - 1 })
        {
            var code = codec.Encode(id);
            Assert.Equal(LinkCodec.Length, code.Length);
            Assert.Equal(id, codec.Decode(code));
        }
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(3_521_614_606_208L)]
    [InlineData(4_398_046_511_104L)]
    [InlineData(long.MaxValue)]
    public void Ids_outside_the_range_are_refused(long id)
    {
        var codec = new LinkCodec(Key);
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => codec.Encode(id));
        Assert.Equal("id", thrown.ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abcdef")]
    [InlineData("abcdefgh")]
    [InlineData("abc-def")]
    [InlineData("abc def")]
    [InlineData("abcdéfg")]
    public void Malformed_codes_do_not_decode(string? code)
    {
        var codec = new LinkCodec(Key);
        Assert.False(codec.TryDecode(code, out _));
        if (code is null)
        {
            Assert.Throws<ArgumentNullException>(() => codec.Decode(code!));
        }
        else
        {
            Assert.Throws<FormatException>(() => codec.Decode(code));
        }
    }

    [Fact]
    public void Distinct_ids_in_a_large_random_sample_give_distinct_codes()
    {
        Gen.Select(Gen.ULong, Ids.ArrayUnique[50_000]).Sample((key, ids) =>
        {
            var codec = new LinkCodec(key);
            var codes = ids.Select(codec.Encode).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(ids.Length, codes.Count);
        }, iter: 10, threads: 1);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(2_097_100L)]
    [InlineData(3_521_614_506_208L)]
    public void A_contiguous_range_of_100k_ids_gives_100k_distinct_codes(long first)
    {
        const int count = 100_000;
        var codec = new LinkCodec(Key);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var id = first; id < first + count; id++)
        {
            Assert.True(codes.Add(codec.Encode(id)), $"id {id} repeats a code");
        }

        Assert.Equal(count, codes.Count);
    }

    [Fact]
    public void The_same_key_always_gives_the_same_codes()
    {
        Gen.Select(Gen.ULong, Ids).Sample((key, id) =>
            Assert.Equal(new LinkCodec(key).Encode(id), new LinkCodec(key).Encode(id)));
    }

    [Fact]
    public void Different_keys_give_different_codes()
    {
        Gen.Select(Gen.ULong, Gen.ULong, Ids).Where((a, b, _) => a != b).Sample((a, b, id) =>
            Assert.NotEqual(new LinkCodec(a).Encode(id), new LinkCodec(b).Encode(id)), iter: 10_000);
    }

    [Fact]
    public void Neighbouring_keys_give_unrelated_codes()
    {
        var one = new LinkCodec(1);
        var two = new LinkCodec(2);
        var same = Enumerable.Range(0, 10_000).Count(id => one.Encode(id) == two.Encode(id));
        Assert.Equal(0, same);
    }

    [Fact]
    public void Consecutive_ids_differ_in_most_positions()
    {
        const int pairs = 20_000;
        var codec = new LinkCodec(Key);
        var previous = codec.Encode(0);
        var totalDifferent = 0;
        for (var id = 1L; id <= pairs; id++)
        {
            var code = codec.Encode(id);
            var different = DifferingPositions(previous, code);
            Assert.True(different >= 3, $"codes of {id - 1} and {id} ({previous}, {code}) share {7 - different} positions");
            totalDifferent += different;
            previous = code;
        }

        // Unrelated random codes differ in 7 * 61/62 ≈ 6.89 positions on average.
        Assert.InRange((double)totalDifferent / pairs, 6.7, 7.0);
    }

    [Fact]
    public void Consecutive_ids_spread_over_the_whole_alphabet_in_every_position()
    {
        var codec = new LinkCodec(Key);
        var seen = Enumerable.Range(0, LinkCodec.Length).Select(_ => new HashSet<char>()).ToArray();
        var ascending = 0;
        var previous = codec.Encode(0);
        for (var id = 1L; id < 10_000; id++)
        {
            var code = codec.Encode(id);
            for (var position = 0; position < code.Length; position++)
            {
                seen[position].Add(code[position]);
            }

            ascending += string.CompareOrdinal(previous, code) < 0 ? 1 : 0;
            previous = code;
        }

        Assert.All(seen, characters => Assert.Equal(62, characters.Count));
        Assert.InRange(ascending, 4_500, 5_500);
    }

    [Fact]
    public void Codes_are_pinned_so_issued_links_keep_working()
    {
        // Changing the permutation would break every short link already handed out: if this test
        // fails, the codec changed incompatibly, which needs a migration, not a new expected value.
        var codec = new LinkCodec(Key);
        Assert.Equal(PinnedCodes, Array.ConvertAll(PinnedIds, codec.Encode));
    }

    private static int DifferingPositions(string a, string b)
    {
        var different = 0;
        for (var i = 0; i < a.Length; i++)
        {
            different += a[i] == b[i] ? 0 : 1;
        }

        return different;
    }
}
