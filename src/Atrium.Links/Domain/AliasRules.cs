using System.Buffers;

namespace Atrium.Links.Domain;

/// <summary>The rules a custom alias must follow; uniqueness is checked by the store, not here.</summary>
internal static class AliasRules
{
    public const int MinLength = 3;
    public const int MaxLength = 64;

    /// <summary>The characters of codes and aliases; anything else in a path is not a link.</summary>
    public static readonly SearchValues<char> AliasChars = SearchValues.Create(Base62.Alphabet + "-_");
    private static readonly SearchValues<char> CodeChars = SearchValues.Create(Base62.Alphabet);

    /// <summary>Null when the alias is acceptable, else an English message saying what is wrong.</summary>
    public static string? Validate(string alias)
    {
        if (string.IsNullOrEmpty(alias))
        {
            return "An alias must not be empty.";
        }

        if (alias.Length is < MinLength or > MaxLength)
        {
            return $"An alias must be {MinLength} to {MaxLength} characters long; this one has {alias.Length}.";
        }

        if (alias.AsSpan().ContainsAnyExcept(AliasChars))
        {
            return "An alias may contain only the letters A-Z and a-z, the digits 0-9, '-' and '_'.";
        }

        if (ReservedWords.Contains(alias))
        {
            return $"The alias '{alias}' is reserved by Atrium; please choose another.";
        }

        if (LooksLikeGeneratedCode(alias))
        {
            return $"An alias of exactly {LinkCodec.Length} letters and digits is reserved for generated codes "
                + "(it could collide with one); make it shorter or longer, or add '-' or '_'.";
        }

        return null;
    }

    /// <summary>Cheap shape check for the redirect: could <paramref name="code"/> be a generated code or an alias?</summary>
    public static bool IsWellFormed(string code) =>
        code.Length is >= MinLength and <= MaxLength && !code.AsSpan().ContainsAnyExcept(AliasChars);

    private static bool LooksLikeGeneratedCode(string alias) =>
        alias.Length == LinkCodec.Length && !alias.AsSpan().ContainsAnyExcept(CodeChars);
}
