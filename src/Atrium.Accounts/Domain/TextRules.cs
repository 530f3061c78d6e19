using System.Globalization;
using System.Text;

namespace Atrium.Accounts.Domain;

/// <summary>
/// Free-text names people choose (display names, API key names): trimmed, not blank, at most a number of
/// characters (Unicode scalar values, so an emoji counts once), and free of characters that break or
/// spoof a layout: control characters, line and paragraph separators, bidirectional overrides and
/// isolates, and unpaired surrogates.
/// </summary>
internal static class TextRules
{
    /// <summary>
    /// Null when <paramref name="value"/> is acceptable, with the trimmed value in <paramref name="normalized"/>;
    /// else what is wrong with it, naming <paramref name="field"/>.
    /// </summary>
    public static string? ValidateName(string? value, string field, int maxLength, out string normalized)
    {
        normalized = value?.Trim() ?? "";
        if (normalized.Length == 0)
        {
            return value is null ? $"{field} is required." : $"{field} must not be blank.";
        }

        if (HasUnpairedSurrogate(normalized))
        {
            return $"{field} contains an invalid character (an unpaired UTF-16 surrogate).";
        }

        var length = 0;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (IsForbidden(rune))
            {
                return $"{field} must not contain control or layout characters (found U+{rune.Value:X4}).";
            }

            length++;
        }

        return length > maxLength ? $"{field} must be at most {maxLength} characters long (it has {length})." : null;
    }

    private static bool IsForbidden(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || rune.Value is >= 0x202A and <= 0x202E // LRE, RLE, PDF, LRO, RLO
        || rune.Value is >= 0x2066 and <= 0x2069; // LRI, RLI, FSI, PDI

    private static bool HasUnpairedSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
