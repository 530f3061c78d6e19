namespace Atrium.Chat.Domain;

/// <summary>
/// The rules of a message's text: 1–4,000 UTF-16 chars, not blank, no control characters except newline and tab.
/// The text is stored and sent exactly as given, as plain text (never HTML). Clients send it in NFC
/// (<c>text.normalize("NFC")</c>): the server runs with invariant globalization, which has no Unicode normalisation.
/// </summary>
internal static class MessageText
{
    /// <summary>Null when the text is acceptable, else what is wrong with it.</summary>
    public static string? Validate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "text is required.";
        }

        if (text.Length > ChatLimits.MaxTextLength)
        {
            return $"text is longer than {ChatLimits.MaxTextLength} characters.";
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not '\n' and not '\t')
            {
                return "text contains a control character (only newline and tab are allowed).";
            }
        }

        return string.IsNullOrWhiteSpace(text) ? "text is blank." : null;
    }
}
