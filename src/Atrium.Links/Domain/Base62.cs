namespace Atrium.Links.Domain;

/// <summary>
/// Base62 with the digits-upper-lower alphabet, so that fixed-width codes sort in numeric order.
/// </summary>
internal static class Base62
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private const int Radix = 62;

    /// <summary>Encodes a non-negative value in exactly <paramref name="width"/> digits, left-padded with '0'.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or does not fit in the width.</exception>
    public static string Encode(long value, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (DigitCount(value) > width)
        {
            throw new ArgumentOutOfRangeException(
                nameof(value), value, $"The value needs more than {width} base62 digits.");
        }

        return string.Create(width, value, static (digits, remaining) =>
        {
            for (var i = digits.Length - 1; i >= 0; i--)
            {
                digits[i] = Alphabet[(int)(remaining % Radix)];
                remaining /= Radix;
            }
        });
    }

    /// <summary>
    /// Decodes one or more base62 digits (leading zeros allowed). Fails on an empty text, a character
    /// outside the alphabet, or a value above <see cref="long.MaxValue"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        long result = 0;
        foreach (var c in text)
        {
            var digit = DigitOf(c);
            if (digit < 0 || result > (long.MaxValue - digit) / Radix)
            {
                return false;
            }

            result = (result * Radix) + digit;
        }

        value = result;
        return true;
    }

    /// <summary>The value of one base62 digit, or -1 when the character is not in the alphabet.</summary>
    public static int DigitOf(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        >= 'a' and <= 'z' => c - 'a' + 36,
        _ => -1,
    };

    private static int DigitCount(long value)
    {
        var count = 1;
        while (value >= Radix)
        {
            value /= Radix;
            count++;
        }

        return count;
    }
}
