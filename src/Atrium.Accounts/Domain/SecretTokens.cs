using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Atrium.Accounts.Domain;

/// <summary>
/// Opaque secrets handed to clients (refresh tokens, API keys): 32 random bytes, base64url. The server
/// keeps only their SHA-256 — enough for secrets with 256 bits of entropy, which no one can guess, so a
/// slow password hash would buy nothing — and looks them up by that hash.
/// </summary>
internal static class SecretTokens
{
    public const string ApiKeyPrefix = "atr_";
    public const int SecretBytes = 32;
    public const int ApiKeyLength = 47; // "atr_" + 43 base64url characters
    public const int ApiKeyDisplayPrefixLength = 12;

    public static string NewRefreshToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static string NewApiKey() => ApiKeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The part of an API key shown in lists, to tell keys apart: "atr_" and 8 more characters.</summary>
    public static string DisplayPrefix(string apiKey) => apiKey[..ApiKeyDisplayPrefixLength];

    /// <summary>True when <paramref name="value"/> has the shape of an API key (it may still be unknown).</summary>
    public static bool LooksLikeApiKey(string value) =>
        value.Length == ApiKeyLength && value.StartsWith(ApiKeyPrefix, StringComparison.Ordinal) && Base64Url.IsValid(value.AsSpan(ApiKeyPrefix.Length));

    /// <summary>The stored form: lower-case hex of SHA-256 over the UTF-8 text.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
