using System.Text;
using Atrium.Security.Tests.Support;

namespace Atrium.Security.Tests.Fuzzing;

/// <summary>
/// The hostile cases every operation gets, deterministically (the generated ones add variety on top): 10,000-deep
/// nesting, lone surrogates as JSON escapes and as raw bytes, control characters, each property with each wrong type,
/// each query parameter with each absurd number, each path parameter with huge, negative, malformed and other users'
/// values, and a huge Idempotency-Key.
/// </summary>
internal static class FixedHostileCases
{
    private static readonly string[] WrongTypes = ["null", "1", "-1", "true", "[]", "{}", "\"x\"", "1e400", "\"\\ud800\"", "[[[[[[[[[[1]]]]]]]]]]"];
    private static readonly string[] HostileStrings = ["\\ud800", "a\\udfffb", "\\u0000", "\\u001b", "\\u202e", ""];

    public static IEnumerable<HostileRequest> For(ApiOperation operation, IReadOnlyList<string> knownValues, Caller caller)
    {
        var path = FillPath(operation, knownValues[0]);
        HostileRequest Make(string kind, string target, byte[]? body = null, params KeyValuePair<string, string>[] headers) =>
            new(operation, kind, caller, target, headers, body, body is null ? null : ContentType(operation));

        yield return Make("baseline", path);
        yield return Make("huge-idempotency-key", path, Body(operation), new KeyValuePair<string, string>("Idempotency-Key", new string('k', 20_000)));
        yield return Make("nested-arrays", path, Encoding.UTF8.GetBytes(HostileValues.Nested(objects: false, "a")));
        var properties = operation.BodyProperties.Count > 0 ? operation.BodyProperties.Select(p => p.Name).ToList() : ["url", "text"];
        yield return Make("nested-objects", path, Encoding.UTF8.GetBytes(HostileValues.Nested(objects: true, properties[0])));
        yield return Make("oversized", path, Encoding.UTF8.GetBytes($"{{\"{properties[0]}\":\"{new string('a', HostileValues.OversizedBytes)}\"}}"));

        foreach (var property in properties)
        {
            foreach (var value in WrongTypes)
            {
                yield return Make($"wrong-type {property}", path, Object(operation, property, value));
            }

            foreach (var text in HostileStrings)
            {
                yield return Make($"hostile-string {property}", path, Object(operation, property, $"\"{text}\""));
            }

            foreach (var raw in new byte[][] { [0xED, 0xA0, 0x80], [0xFF], [0x01], [0xC0, 0xAF] })
            {
                var json = Encoding.UTF8.GetString(Object(operation, property, "\"a\u0000b\""));
                var at = json.IndexOf('\u0000', StringComparison.Ordinal);
                yield return Make($"invalid-utf8 {property}", path, [.. Encoding.UTF8.GetBytes(json[..at]), .. raw, .. Encoding.UTF8.GetBytes(json[(at + 1)..])]);
            }
        }

        foreach (var parameter in operation.In("query"))
        {
            foreach (var value in HostileValues.Numbers.Concat(["%ED%A0%80", "%FF", new string('A', 10_000)]))
            {
                yield return Make($"query {parameter.Name}", $"{path}?{parameter.Name}={value}");
            }
        }

        foreach (var parameter in operation.In("path"))
        {
            var values = HostileValues.Numbers.Concat(HostileValues.Strings).Concat(knownValues.Select(Uri.EscapeDataString))
                .Where(v => v.Length > 0 && !v.Contains("%00", StringComparison.Ordinal))
                .Append(new string('a', 5_000));
            foreach (var value in values)
            {
                var target = operation.Path.Replace($"{{{parameter.Name}}}", value, StringComparison.Ordinal);
                yield return Make($"path {parameter.Name}", FillPath(operation with { Path = target }, knownValues[0]));
            }
        }
    }

    private static string FillPath(ApiOperation operation, string value)
    {
        var path = operation.Path;
        foreach (var parameter in operation.In("path"))
        {
            path = path.Replace($"{{{parameter.Name}}}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        return path;
    }

    private static string ContentType(ApiOperation operation) => operation.HasBody ? operation.BodyContentTypes[0] : "application/json";

    private static byte[]? Body(ApiOperation operation) => operation.HasBody ? Object(operation, "", "") : null;

    /// <summary>A body with a harmless value for every property but <paramref name="property"/>, which gets <paramref name="value"/>.</summary>
    private static byte[] Object(ApiOperation operation, string property, string value)
    {
        var members = operation.BodyProperties.Select(p => p.Name == property ? (p.Name, value) : (p.Name, Harmless(p.Type))).ToList();
        if (members.All(m => m.Name != property) && property.Length > 0)
        {
            members.Add((property, value));
        }

        return Encoding.UTF8.GetBytes("{" + string.Join(',', members.Select(m => $"\"{m.Name}\":{m.Item2}")) + "}");
    }

    private static string Harmless(string type) => type switch
    {
        "integer" or "number" => "1",
        "boolean" => "false",
        "array" => "[]",
        "object" => "{}",
        _ => "\"x\"",
    };
}
