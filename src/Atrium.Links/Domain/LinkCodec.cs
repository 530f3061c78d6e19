namespace Atrium.Links.Domain;

/// <summary>
/// Turns a link id in [0, <see cref="Capacity"/>) into a 7-character base62 code and back, through a
/// keyed bijective permutation, so that consecutive ids give unrelated-looking, unguessable codes
/// while collisions stay impossible (no lookup, no retry loop).
/// </summary>
/// <remarks>
/// <para>
/// The permutation is a balanced Feistel network over 42 bits (two 21-bit halves,
/// <see cref="Rounds"/> rounds). Each round computes <c>(L, R) → (R, L xor F(R, round))</c>, which is
/// invertible whatever F is, so the network is a permutation of [0, 2^42). F is the splitmix64
/// finaliser of the half xor a per-round key derived from the secret key; its output is truncated
/// to 21 bits. A different key gives a different, unrelated permutation.
/// </para>
/// <para>
/// 2^42 = 4,398,046,511,104 is a little more than <see cref="Capacity"/> = 62^7 = 3,521,614,606,208,
/// so the Feistel output may fall outside the range of 7-character codes. Cycle-walking fixes that:
/// encrypt again until the value is below <see cref="Capacity"/>. Why this terminates: the network
/// is a permutation of a finite set, so repeated encryption of x runs around a cycle that comes back
/// to x itself, and x is below <see cref="Capacity"/>; the walk therefore stops at the latest on
/// returning to x, and on average after 2^42 / 62^7 ≈ 1.25 encryptions (a run of k out-of-range
/// values has probability about 0.2^k). Why it stays a bijection on [0, <see cref="Capacity"/>): the
/// walk maps x to the next in-range element on x's cycle. Decoding walks the same cycle backwards
/// with the inverse network and stops at the first in-range element, which is x, because every
/// value the forward walk skipped was out of range. So decode(encode(x)) = x on the range, an
/// injective map of a finite set into itself is a bijection, and since 62^7 = <see cref="Capacity"/>
/// every 7-character base62 string is the code of exactly one id.
/// </para>
/// </remarks>
internal sealed class LinkCodec(ulong key)
{
    /// <summary>Every code has exactly this many base62 characters.</summary>
    public const int Length = 7;

    /// <summary>The number of distinct codes and ids: 62^7 = 3,521,614,606,208.</summary>
    public static readonly long Capacity = Power(62, Length);

    private const int Rounds = 6;
    private const int HalfBits = 21;
    private const ulong HalfMask = (1UL << HalfBits) - 1;

    private readonly ulong[] _roundKeys = DeriveRoundKeys(key);

    /// <summary>The code of an id in [0, <see cref="Capacity"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is negative or not below <see cref="Capacity"/>.</exception>
    public string Encode(long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Capacity);

        var value = (ulong)id;
        do
        {
            value = Encrypt(value);
        }
        while (value >= (ulong)Capacity);

        return Base62.Encode((long)value, Length);
    }

    /// <summary>The id of a code produced by <see cref="Encode"/> with the same key.</summary>
    /// <exception cref="FormatException">The code is not exactly 7 base62 characters.</exception>
    public long Decode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return TryDecode(code, out var id)
            ? id
            : throw new FormatException($"A link code is exactly {Length} characters from [0-9A-Za-z].");
    }

    /// <summary>Decodes a code; false when it is null or not exactly 7 base62 characters.</summary>
    public bool TryDecode(string? code, out long id)
    {
        id = 0;
        if (code is not { Length: Length } || !Base62.TryDecode(code, out var value))
        {
            return false;
        }

        // Seven base62 digits are always below Capacity, so every well-formed code decodes.
        var walked = (ulong)value;
        do
        {
            walked = Decrypt(walked);
        }
        while (walked >= (ulong)Capacity);

        id = (long)walked;
        return true;
    }

    private ulong Encrypt(ulong value)
    {
        var left = value >> HalfBits;
        var right = value & HalfMask;
        for (var round = 0; round < Rounds; round++)
        {
            (left, right) = (right, left ^ RoundFunction(right, round));
        }

        return (left << HalfBits) | right;
    }

    private ulong Decrypt(ulong value)
    {
        var left = value >> HalfBits;
        var right = value & HalfMask;
        for (var round = Rounds - 1; round >= 0; round--)
        {
            (left, right) = (right ^ RoundFunction(left, round), left);
        }

        return (left << HalfBits) | right;
    }

    private ulong RoundFunction(ulong half, int round) =>
        Mix(half ^ _roundKeys[round]) >> (64 - HalfBits);

    private static ulong[] DeriveRoundKeys(ulong key)
    {
        // splitmix64: a well-spread, distinct key per round even for keys such as 0 or 1.
        var keys = new ulong[Rounds];
        var state = key;
        for (var round = 0; round < Rounds; round++)
        {
            state += 0x9E3779B97F4A7C15UL;
            keys[round] = Mix(state);
        }

        return keys;
    }

    /// <summary>The splitmix64 finaliser: every input bit flips about half of the output bits.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static long Power(long radix, int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= radix;
        }

        return result;
    }
}
