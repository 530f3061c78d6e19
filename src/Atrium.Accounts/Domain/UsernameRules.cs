namespace Atrium.Accounts.Domain;

/// <summary>
/// Usernames are 3–32 of <c>[a-z0-9_]</c> and case-insensitive: ASCII capitals are lower-cased on the way
/// in (registration, sign-in, profile lookup), so <c>Alice</c> registers, signs in and is found as
/// <c>alice</c>. Only A–Z are folded; any other character outside the alphabet is refused, which keeps
/// look-alike letters (e.g. the Kelvin sign, which Unicode lower-cases to <c>k</c>) out.
/// </summary>
internal static class UsernameRules
{
    public const int MinLength = 3;
    public const int MaxLength = 32;

    /// <summary>The canonical form: A–Z lower-cased, everything else as given.</summary>
    public static string Normalize(string username) =>
        username.Any(char.IsAsciiLetterUpper)
            ? string.Create(username.Length, username, static (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] | 0x20) : source[i];
                }
            })
            : username;

    /// <summary>Null when <paramref name="username"/> (normalized) is acceptable, else what is wrong with it.</summary>
    public static string? Validate(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            return "username is required.";
        }

        if (username.Length is < MinLength or > MaxLength)
        {
            return $"username must be {MinLength}–{MaxLength} characters long (it has {username.Length}).";
        }

        foreach (var c in username)
        {
            if (!IsAllowed(c))
            {
                return $"username may contain only letters a–z, digits 0–9 and underscores; {Describe(c)} is not allowed.";
            }
        }

        return null;
    }

    public static bool IsAllowed(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_';

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) || c > '~'
            ? $"U+{(int)c:X4}"
            : $"'{c}'";
}
