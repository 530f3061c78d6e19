using System.Globalization;
using Atrium.Links.Data;
using Atrium.Links.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Links.Endpoints;

/// <summary>
/// <c>GET|HEAD /{code}</c> answers a 301/302 (see <see cref="Redirector"/>);
/// <c>GET /{code}+</c> previews the target without following it. Both pass the short-code guessing throttle
/// (<see cref="Guessing.GuessThrottle"/>): an unknown code costs the client a miss, and a client out of misses gets
/// 429 for every code, existing ones too.
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
        if (redirector.Guesses.IsBlocked(http, out var blocked))
        {
            return TooManyGuesses(http, blocked);
        }

        var request = http.Request;
        var outcome = await redirector.FollowAsync(
            code, countClick: !HttpMethods.IsHead(request.Method), request.Headers.Referer, request.Headers.UserAgent, http.RequestAborted);
        if (outcome.Result == RedirectOutcome.Kind.NotFound
            && await redirector.Guesses.RecordMissAsync(http, http.RequestAborted) is { } window)
        {
            return TooManyGuesses(http, window);
        }

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

    public static async Task<IResult> Preview(
        string code, HttpContext http, LinkStore store, Redirector redirector, TimeProvider time, CancellationToken cancellationToken)
    {
        if (redirector.Guesses.IsBlocked(http, out var blocked))
        {
            return TooManyGuesses(http, blocked);
        }

        if (!AliasRules.IsWellFormed(code) || await store.FindOnPrimaryAsync(code, cancellationToken) is not { } link)
        {
            if (await redirector.Guesses.RecordMissAsync(http, cancellationToken) is { } window)
            {
                return TooManyGuesses(http, window);
            }

            return LinkPages.NotFound(code);
        }

        return link.GoneReason(time.GetUtcNow()) is { } reason ? LinkPages.Gone(code, reason) : LinkPages.Preview(link);
    }

    /// <summary>429 + Retry-After (whole seconds, rounded up) + a problem saying why and for how long.</summary>
    private static ProblemHttpResult TooManyGuesses(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            $"Too many unknown short links were requested from your address; following links is paused for {seconds} s. "
            + "Check the link for typos.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests");
    }
}
