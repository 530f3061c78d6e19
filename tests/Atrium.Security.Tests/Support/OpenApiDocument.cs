using System.Net;
using System.Text.Json;
using Xunit;

namespace Atrium.Security.Tests.Support;

/// <summary>
/// Reads Atrium's own OpenAPI document (<c>GET /openapi/v1.json</c>, served by Platform's <c>MapOpenApi</c>) into
/// <see cref="ApiOperation"/>s: every path and method, their parameters and the properties of their JSON bodies.
/// </summary>
public static class OpenApiDocument
{
    public const string Path = "/openapi/v1.json";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head"];

    public static async Task<IReadOnlyList<ApiOperation>> FetchAsync(HttpClient client, CancellationToken ct)
    {
        using var response = await client.GetAsync(new Uri(Path, UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        return Read(document.RootElement);
    }

    public static IReadOnlyList<ApiOperation> Read(JsonElement document)
    {
        var schemas = document.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var s)
            ? s
            : default;
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
            {
                var operation = method.Value;
                var tags = operation.TryGetProperty("tags", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
                var parameters = operation.TryGetProperty("parameters", out var p)
                    ? p.EnumerateArray().Select(x => new ApiParameter(
                        x.GetProperty("name").GetString()!, x.GetProperty("in").GetString()!, TypeOf(x.GetProperty("schema")))).ToList()
                    : [];
                var (contentTypes, properties) = Body(operation, schemas);
                operations.Add(new ApiOperation(method.Name.ToUpperInvariant(), path.Name, tags, parameters, contentTypes, properties));
            }
        }

        return operations;
    }

    private static (List<string> ContentTypes, List<ApiProperty> Properties) Body(JsonElement operation, JsonElement schemas)
    {
        if (!operation.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content))
        {
            return ([], []);
        }

        var contentTypes = content.EnumerateObject().Select(c => c.Name).ToList();
        var schema = content.EnumerateObject().First().Value.TryGetProperty("schema", out var x) ? Resolve(x, schemas) : default;
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties))
        {
            return (contentTypes, []);
        }

        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(n => n.GetString()).ToHashSet() : [];
        return (contentTypes, properties.EnumerateObject()
            .Select(property => new ApiProperty(property.Name, TypeOf(Resolve(property.Value, schemas)), required.Contains(property.Name)))
            .ToList());
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference) && schemas.ValueKind == JsonValueKind.Object
            ? schemas.GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    /// <summary>The schema's type without "null"; integer wins over string (ASP.NET Core writes integers as <c>["integer","string"]</c>).</summary>
    private static string TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : "any";
        }

        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
        types.Remove("null");
        return types.Contains("integer") ? "integer" : types.Contains("number") ? "number" : types.FirstOrDefault() ?? "any";
    }
}
