using Atrium.Links.Data;
using Atrium.Links.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Links.Endpoints;

/// <summary>
/// <c>GET|HEAD /{code}</c> answers a 301/302 (see <see cref="Redirector"/>);
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

    public static async Task<IResult> Follow(string code, HttpContext http, Redirector redirector)
    {
        var request = http.Request;
        var outcome = await redirector.FollowAsync(
            code, countClick: !HttpMethods.IsHead(request.Method), request.Headers.Referer, request.Headers.UserAgent, http.RequestAborted);
        switch (outcome.Result)
        {
            case RedirectOutcome.Kind.Redirect when outcome.Permanent:
                // Browsers cache a 301; a short private lifetime keeps later clicks countable and a disable effective.
                http.Response.Headers.CacheControl = "private, max-age=90";
                return TypedResults.Redirect(outcome.Url!, permanent: true);
            case RedirectOutcome.Kind.Redirect:
                return TypedResults.Redirect(outcome.Url!);
            case RedirectOutcome.Kind.Gone:
                return LinkPages.Gone(code, outcome.Reason!);
            default:
                return LinkPages.NotFound(code);
        }
    }

    public static async Task<IResult> Preview(string code, LinkStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!AliasRules.IsWellFormed(code) || await store.FindOnPrimaryAsync(code, cancellationToken) is not { } link)
        {
            return LinkPages.NotFound(code);
        }

        return link.GoneReason(time.GetUtcNow()) is { } reason ? LinkPages.Gone(code, reason) : LinkPages.Preview(link);
    }
}
