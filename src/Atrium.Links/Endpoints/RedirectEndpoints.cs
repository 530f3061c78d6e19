using Atrium.Links.Data;
using Atrium.Links.Domain;
using Atrium.Links.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Links.Endpoints;

/// <summary>
/// <c>GET|HEAD /{code}</c>, the hottest path of the system: one cache lookup, a click appended to an
/// in-memory buffer, a 301/302. Only links with a visit limit touch the database per visit.
/// <c>GET /{code}+</c> previews the target without following it.
/// </summary>
internal static class RedirectEndpoints
{
    public static IEndpointRouteBuilder MapRedirects(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/{code}", [HttpMethods.Get, HttpMethods.Head], Follow).WithName("FollowLink").WithTags("Redirect");
        routes.MapGet("/{code}+", Preview).WithName("PreviewLink").WithTags("Redirect");
        return routes;
    }

    public static async Task<IResult> Follow(
        string code, HttpContext http, LinkCache cache, LinkStore store, ClickBuffer clicks, LinksMetrics metrics, TimeProvider time)
    {
        if (!AliasRules.IsWellFormed(code))
        {
            return LinkPages.NotFound(code);
        }

        var ct = http.RequestAborted;
        var target = await cache.GetAsync(code, ct);
        if (target is null)
        {
            return LinkPages.NotFound(code);
        }

        var now = time.GetUtcNow();
        if (target.Disabled)
        {
            return LinkPages.Gone(code, "This link has been disabled.");
        }

        if (target.ExpiresAtMs <= now.ToUnixTimeMilliseconds())
        {
            return LinkPages.Gone(code, "This link has expired.");
        }

        var isHead = HttpMethods.IsHead(http.Request.Method);
        if (target.Limited && !(isHead ? await store.VisitsLeftAsync(code, ct) > 0 : await store.TryCountVisitAsync(code, ct)))
        {
            return LinkPages.Gone(code, "This link has reached its visit limit.");
        }

        if (!isHead)
        {
            var headers = http.Request.Headers;
            clicks.Add(new Click(code, now.ToUnixTimeMilliseconds(), headers.Referer, headers.UserAgent));
            metrics.Redirects.Add(1);
        }

        if (target.Permanent)
        {
            // Browsers cache a 301; a short private lifetime keeps later clicks countable and a disable effective.
            http.Response.Headers.CacheControl = "private, max-age=90";
        }

        return TypedResults.Redirect(target.Url, permanent: target.Permanent);
    }

    public static async Task<IResult> Preview(string code, LinkStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!AliasRules.IsWellFormed(code) || await store.FindAsync(code, cancellationToken) is not { } link)
        {
            return LinkPages.NotFound(code);
        }

        return link.GoneReason(time.GetUtcNow()) is { } reason ? LinkPages.Gone(code, reason) : LinkPages.Preview(link);
    }
}
