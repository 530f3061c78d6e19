using Atrium.Feed.Domain;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Feed.Endpoints;

/// <summary>The home timeline: <c>GET /api/v1/feed?limit&amp;cursor</c> and <c>GET /api/v1/feed?since&amp;limit</c>.</summary>
internal static class FeedApi
{
    public static RouteHandlerBuilder MapFeedApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/feed", Read).WithName("ReadFeed").WithTags("Feed")
            .RequireAuthorization(AuthPolicies.SignedIn).RequireRateLimiting(PostApi.ReadPolicy);

    public static async Task<Results<Ok<FeedPageResponse>, ProblemHttpResult>> Read(
        HttpContext http, HomeTimeline timeline, FeedItems items, CancellationToken cancellationToken, int? limit = null, string? cursor = null, string? since = null)
    {
        if (Paging.Check(limit, cursor, out var size, out var before) is { } problem)
        {
            return problem;
        }

        var after = 0L;
        if (since is not null)
        {
            if (cursor is not null)
            {
                return Problems.Validation("Pass either cursor (older posts) or since (newer posts), not both.");
            }

            if (!long.TryParse(since, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after) || after < 1)
            {
                return Problems.Validation("since must be a post id (a positive decimal number).");
            }
        }

        var page = await timeline.ReadAsync(http.User.RequiredUserId(), before, after, size, cancellationToken);
        var next = page.Next is { } id ? FeedCursor.Encode(id) : null;
        return TypedResults.Ok(new FeedPageResponse(await items.ToItemsAsync(page.Posts, cancellationToken), next, page.Regenerating, page.Partial, page.Omitted));
    }
}
