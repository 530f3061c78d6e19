using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Atrium.Server;

/// <summary>
/// The web client in <c>wwwroot/</c>: assets as routed endpoints (<c>MapStaticAssets</c>: build manifest,
/// ETags, precompressed variants) and <c>index.html</c> at <c>/</c>. No static-file middleware, so the
/// redirect (<c>GET /{code}</c>, the hottest path) never probes the file system.
/// </summary>
internal static class WebClient
{
    /// <summary>
    /// No inline script or style anywhere in the client; everything comes from this origin.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Serves wwwroot from the build output too (the static web assets manifest points at the source
    /// folder), not only in Development: tests and <c>dotnet Atrium.Server.dll</c> run from <c>bin/</c>.
    /// A published app has no such manifest and serves its copied wwwroot; then this does nothing.
    /// </summary>
    public static WebApplicationBuilder AddWebClient(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    public static IEndpointRouteBuilder MapWebClient(this IEndpointRouteBuilder routes)
    {
        routes.MapStaticAssets();
        routes.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], Index).ExcludeFromDescription();
        return routes;
    }

    public static IResult Index(HttpContext http, IWebHostEnvironment environment)
    {
        var file = environment.WebRootFileProvider.GetFileInfo("index.html");
        if (!file.Exists)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-cache";
        var tag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
        return TypedResults.Stream(file.CreateReadStream(), "text/html; charset=utf-8", lastModified: file.LastModified, entityTag: tag);
    }
}
