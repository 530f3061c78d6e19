using System.Globalization;
using System.Text;

namespace Atrium.Security.Tests.Fuzzing;

/// <summary>
/// The raw material of hostile requests: values for path and query parameters (percent-encoded as sent), JSON values
/// of every type, and whole bodies that are not what any endpoint expects.
/// </summary>
internal static class HostileValues
{
    /// <summary>A JSON document nested this deep: far past System.Text.Json's default limit of 64.</summary>
    public const int NestingDepth = 10_000;

    /// <summary>Bigger than every endpoint's body limit (the largest is 32 KiB).</summary>
    public const int OversizedBytes = 1024 * 1024;

    /// <summary>Numbers that are huge, negative, zero or not numbers at all, as a path segment or query value.</summary>
    public static readonly string[] Numbers =
    [
        "0", "-1", "1", "-0", "+1", "01", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999",
        "1e9", "1.5", "0x10", "NaN", "Infinity", " 1", "1%20", "%2B1", "abc", "", "%00", "null", "true",
    ];

    /// <summary>Strings that break naive code: encodings, traversal, markup, injection, invalid UTF-8 (percent-encoded).</summary>
    public static readonly string[] Strings =
    [
        "", "a", "%20", "..", "..%2F..%2Fetc%2Fpasswd", "%2F", "%5C", "%00", "%01", "%1B%5B31m", "%7F", "%0D%0ASet-Cookie:%20x=1",
        "%ED%A0%80", "%ED%BF%BF", "%FF", "%FE%FF", "%C0%AF", "%C3%28", "%F4%90%80%80", "%E2%80%AE", "%EF%BB%BF",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "'%20OR%201=1--", "%25", "%25%25", "%", "%G1", "%E0%A4", "~", "%2B",
        "javascript:alert(1)", "AAAAAAA", "aaaaaaa+", "me", "admin", "api", "ws", "null", "undefined",
    ];

    /// <summary>JSON texts that are not well-formed JSON (or are JSON of no use to anyone).</summary>
    public static readonly string[] MalformedJson =
    [
        "{", "}", "[", "{\"", "{\"a\"", "{\"a\":", "{\"a\":}", "{\"a\":1,}", "{,}", "[1,]", "{'a':1}", "{a:1}", "nul", "tru",
        "{\"a\":1}{\"b\":2}", "{\"a\":1} x", "/* c */ {}", "{\"a\":1 // c\n}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}",
        "{\"a\":01}", "{\"a\":1e99999}", "{\"a\":-}", "{\"a\":.5}", "{\"a\":NaN}", "{\"a\":Infinity}", "\"unterminated",
        "{\"a\":\"b\",\"a\":\"c\"}", "\u00EF\u00BB\u00BF{}", "null", "true", "1", "\"text\"", "[]", "[{}]", "{}",
    ];

    /// <summary>JSON values of every type, to put where a property of another type belongs.</summary>
    public static readonly string[] AnyJson =
    [
        "null", "true", "false", "0", "-1", "1.5", "-0", "1e308", "1e400", "-1e400", "9223372036854775808", "-9223372036854775809",
        "\"\"", "\"x\"", "\"123\"", "\"-1\"", "\"1e9\"", "\"2099-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00Z\"", "\"not-a-date\"",
        "[]", "[1]", "[\"a\",\"b\"]", "[null]", "[[]]", "{}", "{\"a\":1}", "{\"$type\":\"System.Object\"}",
    ];

    /// <summary>String contents that are hostile inside JSON: escapes of lone surrogates and control characters.</summary>
    public static readonly string[] JsonStringContents =
    [
        "\\ud800", "\\udfff", "a\\ud800b", "\\udc00\\ud800", "\\ud83d", "\\u0000", "a\\u0000b", "\\u0001", "\\u001b[31m", "\\u007f",
        "\\u2028\\u2029", "\\u202e", "\\ufeff", "\\uffff", "\\ufffe", "\\t\\n\\r", "<script>alert(1)</script>", "' OR 1=1--",
        "javascript:alert(1)", "https://example.com/\\u0000", "http://127.0.0.1/", "\\\\", "%00", " ", "\\u00a0",
    ];

    /// <summary>Raw bytes that are not valid UTF-8 (lone surrogates encoded, overlongs, stray continuations, control bytes).</summary>
    public static readonly byte[][] InvalidUtf8 =
    [
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xFF], [0xFE], [0xC0, 0xAF], [0xC3, 0x28], [0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xE0, 0xA4], [0xF0, 0x9F, 0x98], [0x00], [0x01], [0x1B], [0x7F], [0x0A], [0x09],
    ];

    /// <summary>Content types the endpoints do not take, or take only in name.</summary>
    public static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/json; charset=utf-7", "application/json; charset=nope",
        "application/jsonx", "application/*", "*/*", "application", "/", ";", "application/json;;;", "application/problem+json",
    ];

    /// <summary>Authorization header values that sign nobody in.</summary>
    public static readonly string[] Authorizations =
    [
        "Bearer", "Bearer ", "Bearer x", "Bearer a.b.c", "Bearer ....", "Basic dXNlcjpwYXNz", "bearer x", "Bearer e30.e30.",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "Digest x", "Bearer \u00e9", "Token abc",
    ];

    public static string Repeat(char c, int count) => new(c, count);

    /// <summary>A document nested <see cref="NestingDepth"/> deep: arrays, or objects under <paramref name="property"/>.</summary>
    public static string Nested(bool objects, string property)
    {
        if (!objects)
        {
            return Repeat('[', NestingDepth) + Repeat(']', NestingDepth);
        }

        var open = $"{{\"{property}\":";
        var text = new StringBuilder(NestingDepth * (open.Length + 1) + 4);
        for (var i = 0; i < NestingDepth; i++)
        {
            text.Append(open);
        }

        text.Append(1);
        text.Append('}', NestingDepth);
        return text.ToString();
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
