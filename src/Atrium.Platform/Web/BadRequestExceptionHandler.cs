using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Atrium.Platform.Web;

/// <summary>
/// Turns request-binding failures (malformed JSON, missing or unknown fields, wrong content type,
/// oversized bodies) into <c>application/problem+json</c> with a message that says what is wrong,
/// without leaking .NET type names.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => "Request body too large",
                StatusCodes.Status415UnsupportedMediaType => "Unsupported content type",
                _ => "Invalid request",
            },
            Detail = Describe(bad),
        };
        return await problems.TryWriteAsync(new() { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static string Describe(BadHttpRequestException exception) => exception switch
    {
        { StatusCode: StatusCodes.Status415UnsupportedMediaType } => ProblemText.UnsupportedMediaType,
        { StatusCode: StatusCodes.Status413PayloadTooLarge } => ProblemText.TooLarge,
        { InnerException: JsonException json } => DescribeJson(json),
        _ when exception.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase) => ProblemText.BodyRequired,
        _ => exception.Message,
    };

    private static string DescribeJson(JsonException json)
    {
        var missing = MissingProperties().Match(json.Message);
        if (missing.Success)
        {
            return $"Missing required field(s): {missing.Groups[1].Value}.";
        }

        var unknown = UnknownProperty().Match(json.Message);
        if (unknown.Success)
        {
            return $"Unknown field '{unknown.Groups[1].Value}'.";
        }

        var at = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "the body" : $"'{json.Path.TrimStart('$', '.')}'";
        return json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"The value of {at} has the wrong type."
            : $"Malformed JSON at {at} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).";
    }

    [GeneratedRegex(@"missing required properties including: (.+?)\.?$")]
    private static partial Regex MissingProperties();

    [GeneratedRegex(@"The JSON property '(.+?)' could not be mapped")]
    private static partial Regex UnknownProperty();
}
