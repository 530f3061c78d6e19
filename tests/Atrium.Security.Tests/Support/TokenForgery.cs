using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Atrium.Security.Tests.Support;

/// <summary>
/// Ways to tamper with a real access token (a JWT: header.payload.signature, base64url), each of which must sign
/// nobody in: a flipped signature bit, <c>alg: none</c>, a signature by another key, a changed claim under the old
/// signature, another algorithm named in the header.
/// </summary>
public static class TokenForgery
{
    public static readonly string[] Kinds =
    [
        "flipped-signature", "alg-none", "alg-none-no-signature", "wrong-key", "changed-sub", "changed-exp", "changed-alg", "no-signature",
        "garbage", "truncated",
    ];

    public static string Forge(string token, string kind)
    {
        var parts = token.Split('.');
        var (header, payload, signature) = (parts[0], parts[1], parts[2]);
        return kind switch
        {
            "flipped-signature" => $"{header}.{payload}.{FlipFirstBit(signature)}",
            "alg-none" => $"{Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" })}.{payload}.{signature}",
            "alg-none-no-signature" => $"{Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" })}.{payload}.",
            "wrong-key" => Sign($"{header}.{payload}", RandomNumberGenerator.GetBytes(32)),
            "changed-sub" => $"{header}.{Change(payload, "sub", sub => JsonValue.Create((long.Parse(sub!.GetValue<string>(), CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture)))}.{signature}",
            "changed-exp" => $"{header}.{Change(payload, "exp", exp => JsonValue.Create(exp!.GetValue<long>() + 86_400 * 365))}.{signature}",
            "changed-alg" => $"{Change(header, "alg", _ => JsonValue.Create("HS512"))}.{payload}.{signature}",
            "no-signature" => $"{header}.{payload}.",
            "garbage" => "not-a-token",
            "truncated" => token[..(token.Length / 2)],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown forgery."),
        };
    }

    /// <summary>The claims of a token's payload (not checked: for reading what a test needs).</summary>
    public static JsonObject Payload(string token) => (JsonObject)JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))!;

    private static string FlipFirstBit(string part)
    {
        var bytes = Base64Url.DecodeFromChars(part);
        bytes[0] ^= 1;
        return Base64Url.EncodeToString(bytes);
    }

    private static string Change(string part, string claim, Func<JsonNode?, JsonNode?> change)
    {
        var json = (JsonObject)JsonNode.Parse(Base64Url.DecodeFromChars(part))!;
        json[claim] = change(json[claim]);
        return Encode(json);
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static string Sign(string content, byte[] key) =>
        $"{content}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(content)))}";
}
