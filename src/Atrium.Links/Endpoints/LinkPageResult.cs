using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atrium.Links.Endpoints;

/// <summary>A <see cref="LinkPages"/> page: its HTML, sent with the pages' Content-Security-Policy and no MIME sniffing.</summary>
internal sealed class LinkPageResult(ContentHttpResult page) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => page.StatusCode;

    public string? ContentType => page.ContentType;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var headers = httpContext.Response.Headers;
        headers.ContentSecurityPolicy = LinkPages.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        return page.ExecuteAsync(httpContext);
    }
}
