using System.Globalization;

namespace Atrium.Feed.Domain;

/// <summary>
/// The rules of a post's text: Unicode NFC, trimmed, 1 to <see cref="MaxLength"/> characters (user-perceived
/// characters: text elements, so an emoji with modifiers counts once), no control characters except newline and
/// tab, and no unpaired surrogates.
/// </summary>
internal static class PostText
{
    public const int MaxLength = 500;

    /// <summary>The text as stored, or null with <paramref name="error"/> saying why it is refused.</summary>
    public static string? Normalize(string? text, out string? error)
    {
        error = null;
        if (text is null)
        {
            error = "text is required.";
            return null;
        }

        try
        {
            text = Nfc.Normalize(text);
        }
        catch (ArgumentException)
        {
            error = "text is not valid Unicode.";
            return null;
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not '\n' and not '\t')
            {
                error = $"text must not contain control characters (found U+{(int)c:X4} at {i}).";
                return null;
            }

            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[++i])))
            {
                error = "text is not valid Unicode.";
                return null;
            }
        }

        var length = new StringInfo(text).LengthInTextElements;
        if (length == 0)
        {
            error = "text must not be empty.";
            return null;
        }

        if (length > MaxLength)
        {
            error = $"text must be at most {MaxLength} characters (it has {length}).";
            return null;
        }

        return text;
    }
}
