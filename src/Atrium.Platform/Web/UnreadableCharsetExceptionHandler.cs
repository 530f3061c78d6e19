using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Atrium.Platform.Web;

/// <summary>
/// A JSON body whose <c>Content-Type</c> names a charset .NET cannot or will not decode (<c>charset=utf-7</c>,
/// <c>charset=nope</c>): the framework's body reader throws <see cref="InvalidOperationException"/> (not a
/// <c>BadHttpRequestException</c>), which would be a 500. It is the client's mistake: 415 with ProblemDetails.
/// </summary>
internal sealed class UnreadableCharsetExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const string Detail = "The body's charset is not supported: send JSON as UTF-8 ('Content-Type: application/json').";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not InvalidOperationException { InnerException: NotSupportedException or ArgumentException }
            || !MediaTypeHeaderValue.TryParse(httpContext.Request.ContentType, out var contentType)
            || contentType.Charset.Length == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        return await problems.TryWriteAsync(new()
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported content type",
                Detail = Detail,
            },
        });
    }
}
