namespace Atrium.Accounts.Domain;

/// <summary>
/// What a new password must be (NIST SP 800-63B's advice): long enough, not absurdly long (hashing cost),
/// not a password attackers try first, and not the username. No composition rules (digits, symbols):
/// length and the blocklist matter, character classes mostly produce "Password1!".
/// </summary>
internal static class PasswordRules
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="password"/> is acceptable for <paramref name="username"/> (normalized), else why not.</summary>
    public static string? Validate(string? password, string username)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "password is required.";
        }

        var length = password.EnumerateRunes().Count();
        if (length < MinLength)
        {
            return $"password must be at least {MinLength} characters long.";
        }

        if (length > MaxLength)
        {
            return $"password must be at most {MaxLength} characters long.";
        }

        if (string.Equals(password, username, StringComparison.OrdinalIgnoreCase))
        {
            return "password must not be the same as the username.";
        }

        return CommonPasswords.Contains(password)
            ? "This password is among the most common leaked passwords, which attackers try first; choose another."
            : null;
    }
}
