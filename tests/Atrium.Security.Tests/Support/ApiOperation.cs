namespace Atrium.Security.Tests.Support;

/// <summary>One operation (method + path template) of Atrium's OpenAPI document, reduced to what the fuzzer varies.</summary>
public sealed record ApiOperation(
    string Method,
    string Path,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ApiParameter> Parameters,
    IReadOnlyList<string> BodyContentTypes,
    IReadOnlyList<ApiProperty> BodyProperties)
{
    public bool HasBody => BodyContentTypes.Count > 0;

    /// <summary>Browser-facing pages (the redirect and its preview) answer errors as HTML pages, not ProblemDetails.</summary>
    public bool IsPage => Tags.Contains("Redirect");

    public IEnumerable<ApiParameter> In(string location) => Parameters.Where(p => p.In == location);

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>A path, query or header parameter; <see cref="Type"/> is the JSON schema type (integer or string).</summary>
public sealed record ApiParameter(string Name, string In, string Type);

/// <summary>A property of a request body's schema; <see cref="Type"/> is its JSON schema type (null left out).</summary>
public sealed record ApiProperty(string Name, string Type, bool Required);
