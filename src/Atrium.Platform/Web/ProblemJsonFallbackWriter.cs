using Microsoft.AspNetCore.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Web;

/// <summary>
/// The last <see cref="IProblemDetailsWriter"/>: writes <c>application/problem+json</c> whatever the request's
/// <c>Accept</c> header says. The framework's writer declines a request that accepts neither JSON nor problem+json
/// (<c>Accept: text/html</c>, <c>application/xml</c>), and then <c>IProblemDetailsService.WriteAsync</c> throws — so a
/// 401 or a malformed-body 400 became a 500. An API has one error format; a client that asked for another still gets it.
/// </summary>
internal sealed class ProblemJsonFallbackWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions)
    : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, jsonOptions.Value.SerializerOptions, ContentType, http.RequestAborted));
    }
}
