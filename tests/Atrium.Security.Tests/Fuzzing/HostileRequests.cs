using System.Text;
using Atrium.Security.Tests.Support;
using CsCheck;

namespace Atrium.Security.Tests.Fuzzing;

/// <summary>
/// CsCheck generators of hostile requests for one <see cref="ApiOperation"/>: path parameters that are huge, negative,
/// malformed or someone else's; query strings with absurd page sizes and cursors; bad headers; and bodies that are
/// malformed, oversized, deeply nested, of the wrong types, or carry lone surrogates, invalid UTF-8 and control
/// characters. <paramref name="knownValues"/> are real ids and names (of the owner, of another user) to mix in.
/// </summary>
internal sealed class HostileRequests(IReadOnlyList<string> knownValues)
{
    private static readonly Gen<Caller> Callers = Gen.OneOf(Caller.Anonymous, Caller.Owner, Caller.Stranger);

    /// <summary>The fields of Atrium's bodies, for a free-form body (a merge patch) whose schema names none.</summary>
    private static readonly ApiProperty[] FreeFormProperties =
    [
        new("url", "string", false), new("alias", "string", false), new("expiresAt", "string", false),
        new("maxVisits", "integer", false), new("permanent", "boolean", false), new("text", "string", false),
    ];

    public Gen<HostileRequest> For(ApiOperation operation) =>
        from caller in Callers
        from path in PathOf(operation)
        from query in QueryOf(operation)
        from headers in HeadersOf(operation)
        from body in BodyOf(operation)
        from contentType in ContentTypeOf(operation, body.Bytes)
        select new HostileRequest(operation, body.Kind, caller, path + query, headers, body.Bytes, contentType);

    /// <summary>The path with every parameter replaced (percent-encoded as sent).</summary>
    private Gen<string> PathOf(ApiOperation operation)
    {
        Gen<string> path = Gen.Const(operation.Path);
        foreach (var parameter in operation.In("path"))
        {
            var placeholder = $"{{{parameter.Name}}}";
            path = from template in path
                   from value in PathValue()
                   select template.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return path;
    }

    /// <summary>
    /// A path segment. Not <c>%00</c>: a NUL in the path never reaches the app (Kestrel answers 400 itself; the in-memory
    /// test server throws on the client side).
    /// </summary>
    private Gen<string> PathValue() => Gen.Frequency(
        (4, Gen.OneOf(knownValues.Select(Uri.EscapeDataString).ToArray())),
        (3, Gen.OneOf(HostileValues.Numbers.Where(NotEmptyOrNul).ToArray())),
        (3, Gen.OneOf(HostileValues.Strings.Where(NotEmptyOrNul).ToArray())),
        (1, Gen.Long.Select(HostileValues.Number)),
        (1, Gen.Int[256, 8_000].Select(n => HostileValues.Repeat('a', n))),
        (1, Gen.String.Select(s => Uri.EscapeDataString(Scrub(s))).Where(s => s.Length > 0)));

    private Gen<string> QueryOf(ApiOperation operation)
    {
        Gen<List<string>> pairs = Gen.Const(new List<string>());
        foreach (var parameter in operation.In("query"))
        {
            pairs = from list in pairs
                    from include in Gen.Int[0, 9]
                    from value in QueryValue()
                    select include < 7 ? [.. list, $"{parameter.Name}={value}"] : list;
        }

        return from list in pairs
               from extra in Gen.Int[0, 9]
               from junk in QueryValue()
               from name in Gen.OneOf("limit", "cursor", "since", "before", "x", "%00", "a%5B%5D", "__proto__", "")
               select Join(extra switch
               {
                   0 => [.. list, $"{name}={junk}"],
                   1 => [.. list, .. list], // every parameter twice
                   2 => [.. list, $"{name}"],
                   _ => list,
               });
    }

    private static bool NotEmptyOrNul(string segment) => segment.Length > 0 && !segment.Contains("%00", StringComparison.Ordinal);

    private static string Join(List<string> pairs) => pairs.Count == 0 ? "" : "?" + string.Join('&', pairs);

    private Gen<string> QueryValue() => Gen.Frequency(
        (5, Gen.OneOf(HostileValues.Numbers)),
        (3, Gen.OneOf(HostileValues.Strings)),
        (2, Gen.OneOf(knownValues.Select(Uri.EscapeDataString).ToArray())),
        (1, Gen.Int[1_000, 20_000].Select(n => HostileValues.Repeat('A', n))),
        (1, Gen.Byte.Array[1, 64].Select(b => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_'))));

    private static Gen<IReadOnlyList<KeyValuePair<string, string>>> HeadersOf(ApiOperation operation) =>
        from count in Gen.Int[0, 3]
        from headers in Header(operation).Array[count]
        select (IReadOnlyList<KeyValuePair<string, string>>)headers;

    private static Gen<KeyValuePair<string, string>> Header(ApiOperation operation) => Gen.Frequency(
        (3, Gen.Int[0, 20_000].Select(n => Pair("Idempotency-Key", HostileValues.Repeat('k', n)))),
        (1, Gen.OneOf("\u00e9t\u00e9", " ", "a b", "%00", "\u0001", "key,key").Select(v => Pair("Idempotency-Key", v))),
        (2, Gen.OneOf(HostileValues.Authorizations).Select(v => Pair("Authorization", v))),
        (1, Gen.Int[0, 9_000].Select(n => Pair("Authorization", "Bearer " + HostileValues.Repeat('x', n)))),
        (2, Gen.OneOf("", "atr_", "atr_x", "atr_\u00e9", "not-a-key", HostileValues.Repeat('a', 5_000)).Select(v => Pair("X-Api-Key", v))),
        (1, Gen.OneOf("", "999.999.1.1", "::::", "1.1.1.1, , ,", HostileValues.Repeat('9', 3_000)).Select(v => Pair("X-Forwarded-For", v))),
        (1, Gen.OneOf("text/html", "application/xml", "*/*;q=x", "", "\u00ff").Select(v => Pair("Accept", v))),
        (1, Gen.OneOf("", "x", "1", "https://evil.example").Select(v => Pair(operation.Method == "GET" ? "If-None-Match" : "Origin", v))));

    private static KeyValuePair<string, string> Pair(string name, string value) => new(name, value);

    /// <summary>A body: for operations that take one, mostly JSON gone wrong; for the others, mostly none.</summary>
    private Gen<(string Kind, byte[]? Bytes)> BodyOf(ApiOperation operation) =>
        operation.HasBody
            ? Gen.Frequency(
                (3, ValidIsh(operation).Select(json => Tagged("plausible", json))),
                (4, WrongType(operation)),
                (3, HostileString(operation)),
                (2, InvalidUtf8(operation)),
                (2, Gen.OneOf(HostileValues.MalformedJson).Select(json => Tagged("malformed", json))),
                (1, Gen.Bool.Select(objects => Tagged("nested", HostileValues.Nested(objects, FirstProperty(operation))))),
                (1, Oversized(operation)),
                (1, Gen.Byte.Array[0, 512].Select(bytes => ("random-bytes", (byte[]?)bytes))),
                (1, Gen.Const(("empty", (byte[]?)[]))),
                (1, Gen.Const(("none", (byte[]?)null))))
            : Gen.Frequency(
                (8, Gen.Const(("none", (byte[]?)null))),
                (1, Gen.OneOf(HostileValues.MalformedJson).Select(json => Tagged("unexpected-body", json))),
                (1, Gen.Bool.Select(objects => Tagged("nested", HostileValues.Nested(objects, "a")))));

    private static Gen<string?> ContentTypeOf(ApiOperation operation, byte[]? body)
    {
        var declared = operation.HasBody ? operation.BodyContentTypes.ToArray() : ["application/json"];
        return body is null
            ? Gen.Const((string?)null)
            : Gen.Frequency(
                (8, Gen.OneOf(declared).Select(t => (string?)t)),
                (2, Gen.OneOf(HostileValues.ContentTypes).Select(t => (string?)t)),
                (1, Gen.Const((string?)null)));
    }

    /// <summary>An object with every property of the schema, each with a plausible value of its type.</summary>
    private Gen<string> ValidIsh(ApiOperation operation) => Members(operation).Select(Render);

    /// <summary>Plausible (name, raw JSON value) pairs for every property of the body's schema.</summary>
    private Gen<List<(string Name, string Value)>> Members(ApiOperation operation)
    {
        Gen<List<(string Name, string Value)>> members = Gen.Const(new List<(string Name, string Value)>());
        foreach (var property in PropertiesOf(operation))
        {
            members = from list in members
                      from value in PlausibleValue(property.Type)
                      select (List<(string Name, string Value)>)[.. list, (property.Name, value)];
        }

        return members;
    }

    private Gen<(string Kind, byte[]? Bytes)> WrongType(ApiOperation operation) =>
        from members in Members(operation)
        from index in Gen.Int[0, PropertiesOf(operation).Count - 1]
        from value in Gen.OneOf(HostileValues.AnyJson)
        select Tagged("wrong-type", Replace(members, index, value));

    private Gen<(string Kind, byte[]? Bytes)> HostileString(ApiOperation operation) =>
        from members in Members(operation)
        from index in Gen.Int[0, PropertiesOf(operation).Count - 1]
        from content in Gen.OneOf(HostileValues.JsonStringContents)
        select Tagged("hostile-string", Replace(members, index, $"\"{content}\""));

    private Gen<(string Kind, byte[]? Bytes)> InvalidUtf8(ApiOperation operation) =>
        from members in Members(operation)
        from index in Gen.Int[0, PropertiesOf(operation).Count - 1]
        from bytes in Gen.OneOf(HostileValues.InvalidUtf8)
        select ("invalid-utf8", (byte[]?)Splice(Replace(members, index, "\"a\u0000b\""), bytes));

    private static Gen<(string Kind, byte[]? Bytes)> Oversized(ApiOperation operation) =>
        Gen.Int[HostileValues.OversizedBytes / 2, HostileValues.OversizedBytes].Select(size =>
            Tagged("oversized", $"{{\"{FirstProperty(operation)}\":\"{HostileValues.Repeat('a', size)}\"}}"));

    private Gen<string> PlausibleValue(string type) => type switch
    {
        "integer" or "number" => Gen.OneOf(Gen.Long.Select(HostileValues.Number), Gen.OneOf("0", "1", "-1", "50", "100", "101")),
        "boolean" => Gen.OneOf("true", "false"),
        "array" => Gen.OneOf(knownValues.ToArray()).Array[0, 5].Select(items => "[" + string.Join(',', items.Select(Quote)) + "]"),
        "object" => Gen.Const("{}"),
        _ => Gen.Frequency(
            (3, Gen.OneOf(knownValues.ToArray()).Select(Quote)),
            (2, Gen.OneOf("https://example.com/", "http://localhost/", "javascript:alert(1)", "2099-01-01T00:00:00Z", "x", "").Select(Quote)),
            (2, Gen.String.Select(s => Quote(Scrub(s))))),
    };

    /// <summary>The body's properties; a free-form body (a merge patch) gets the fields Atrium's bodies use.</summary>
    private static IReadOnlyList<ApiProperty> PropertiesOf(ApiOperation operation) =>
        operation.BodyProperties.Count > 0 ? operation.BodyProperties : FreeFormProperties;

    /// <summary>The object with <paramref name="value"/> (raw JSON) in place of the value of property <paramref name="index"/>.</summary>
    private static string Replace(List<(string Name, string Value)> members, int index, string value) =>
        members.Count == 0
            ? $"{{\"value\":{value}}}"
            : Render([.. members.Select((member, i) => i == index ? (member.Name, value) : member)]);

    private static string Render(List<(string Name, string Value)> members) =>
        "{" + string.Join(',', members.Select(m => $"\"{m.Name}\":{m.Value}")) + "}";

    /// <summary>The UTF-8 bytes of <paramref name="json"/> with the NUL character replaced by <paramref name="raw"/>.</summary>
    private static byte[] Splice(string json, byte[] raw)
    {
        var at = json.IndexOf('\u0000', StringComparison.Ordinal);
        var before = Encoding.UTF8.GetBytes(json[..at]);
        var after = Encoding.UTF8.GetBytes(json[(at + 1)..]);
        return [.. before, .. raw, .. after];
    }

    private static string FirstProperty(ApiOperation operation) => PropertiesOf(operation)[0].Name;

    private static (string Kind, byte[]? Bytes) Tagged(string kind, string json) => (kind, Encoding.UTF8.GetBytes(json));

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>Random text without lone surrogates (those are generated on purpose, elsewhere, as JSON escapes and raw bytes).</summary>
    private static string Scrub(string text)
    {
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(text, i++, 2);
            }
            else if (!char.IsSurrogate(text[i]))
            {
                clean.Append(text[i]);
            }
        }

        return clean.ToString();
    }
}
