using System.Buffers;

namespace Atrium.Links.Domain;

/// <summary>The characters a code or alias may contain.</summary>
internal static class CodeAlphabet
{
    public static readonly SearchValues<char> Values =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-");
}
