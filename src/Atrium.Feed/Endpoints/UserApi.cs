using Atrium.Feed.Data;
using Atrium.Feed.Domain;
using Atrium.Platform.Data;
using Atrium.Platform.Users;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Feed.Endpoints;

/// <summary>
/// The feed's view of users under <c>/api/v1/users/{username}</c>: follow, block, follower and following lists,
/// posts, and the social summary.
/// </summary>
internal static class UserApi
{
    public const string FollowPolicy = "feed-follow";

    public static RouteGroupBuilder MapUserApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/users/{username}").WithTags("Feed").RequireAuthorization(AuthPolicies.SignedIn);
        group.MapPut("/follow", Follow).WithName("Follow").RequireRateLimiting(FollowPolicy);
        group.MapDelete("/follow", Unfollow).WithName("Unfollow").RequireRateLimiting(FollowPolicy);
        group.MapPut("/block", Block).WithName("Block").RequireRateLimiting(FollowPolicy);
        group.MapDelete("/block", Unblock).WithName("Unblock").RequireRateLimiting(FollowPolicy);
        group.MapGet("/followers", Followers).WithName("ListFollowers").RequireRateLimiting(PostApi.ReadPolicy);
        group.MapGet("/following", FollowingList).WithName("ListFollowing").RequireRateLimiting(PostApi.ReadPolicy);
        group.MapGet("/posts", Posts).WithName("ListUserPosts").RequireRateLimiting(PostApi.ReadPolicy);
        group.MapGet("/social", Social).WithName("GetSocial").RequireRateLimiting(PostApi.ReadPolicy);
        return group;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Follow(
        string username, HttpContext http, IUserDirectory users, Following following, CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(username, cancellationToken) is not { } user)
        {
            return NoSuchUser(username);
        }

        return await following.FollowAsync(http.User.RequiredUserId(), user.Id, cancellationToken) switch
        {
            FollowResult.Self => Problems.Validation("You cannot follow yourself."),
            FollowResult.Blocked => NoSuchUser(username),
            _ => TypedResults.NoContent(),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unfollow(
        string username, HttpContext http, IUserDirectory users, Following following, CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(username, cancellationToken) is not { } user)
        {
            return NoSuchUser(username);
        }

        await following.UnfollowAsync(http.User.RequiredUserId(), user.Id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Block(
        string username, HttpContext http, IUserDirectory users, Following following, CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(username, cancellationToken) is not { } user)
        {
            return NoSuchUser(username);
        }

        return await following.BlockAsync(http.User.RequiredUserId(), user.Id, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.Validation("You cannot block yourself.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unblock(
        string username, HttpContext http, IUserDirectory users, Following following, CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(username, cancellationToken) is not { } user)
        {
            return NoSuchUser(username);
        }

        await following.UnblockAsync(http.User.RequiredUserId(), user.Id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static Task<Results<Ok<PageResponse<AuthorResponse>>, ProblemHttpResult>> Followers(
        string username, IUserDirectory users, FollowStore follows, CancellationToken cancellationToken, int? limit = null, string? cursor = null) =>
        ListAsync(username, users, limit, cursor, follows.FollowersAsync, cancellationToken);

    public static Task<Results<Ok<PageResponse<AuthorResponse>>, ProblemHttpResult>> FollowingList(
        string username, IUserDirectory users, FollowStore follows, CancellationToken cancellationToken, int? limit = null, string? cursor = null) =>
        ListAsync(username, users, limit, cursor, follows.FollowingAsync, cancellationToken);

    public static async Task<Results<Ok<PageResponse<ItemResponse>>, ProblemHttpResult>> Posts(
        string username, HttpContext http, IUserDirectory users, PostStore posts, IDatabase database, FeedItems items,
        CancellationToken cancellationToken, int? limit = null, string? cursor = null)
    {
        if (Paging.Check(limit, cursor, out var size, out var before) is { } problem)
        {
            return problem;
        }

        if (await users.FindByUsernameAsync(username, cancellationToken) is not { } user)
        {
            return NoSuchUser(username);
        }

        var me = http.User.RequiredUserId();
        if (me != user.Id)
        {
            await using var connection = await database.OpenReadAsync(cancellationToken);
            if (await FollowStore.AnyBlockAsync(connection, null, me, user.Id, cancellationToken))
            {
                return NoSuchUser(username);
            }
        }

        var rows = await posts.ListByAuthorAsync(user.Id, before, size, cancellationToken);
        var next = rows.Count == size ? FeedCursor.Encode(rows[^1].Id) : null;
        return TypedResults.Ok(new PageResponse<ItemResponse>([.. rows.Select(p => FeedItems.ToItem(p, user))], next));
    }

    public static async Task<Results<Ok<SocialResponse>, ProblemHttpResult>> Social(
        string username, HttpContext http, IUserDirectory users, IDatabase database, CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(username, cancellationToken) is not { } user)
        {
            return NoSuchUser(username);
        }

        var me = http.User.RequiredUserId();
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var counts = await FeedUserStore.FindAsync(connection, null, user.Id, cancellationToken);
        var followedByMe = me != user.Id && await FollowStore.IsFollowingAsync(connection, null, me, user.Id, cancellationToken);
        return TypedResults.Ok(new SocialResponse(
            user.Username, user.DisplayName, counts?.Followers ?? 0, counts?.Following ?? 0, counts?.Posts ?? 0, followedByMe, me == user.Id));
    }

    private static async Task<Results<Ok<PageResponse<AuthorResponse>>, ProblemHttpResult>> ListAsync(
        string username,
        IUserDirectory users,
        int? limit,
        string? cursor,
        Func<long, long, int, CancellationToken, Task<List<FollowRow>>> list,
        CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, cursor, out var size, out var before) is { } problem)
        {
            return problem;
        }

        if (await users.FindByUsernameAsync(username, cancellationToken) is not { } user)
        {
            return NoSuchUser(username);
        }

        var rows = await list(user.Id, before, size, cancellationToken);
        var found = await users.GetManyAsync([.. rows.Select(r => r.UserId)], cancellationToken);
        var authors = rows.Where(r => found.ContainsKey(r.UserId)).Select(r => FeedItems.ToAuthor(found[r.UserId])).ToList();
        var next = rows.Count == size ? FeedCursor.Encode(rows[^1].Id) : null;
        return TypedResults.Ok(new PageResponse<AuthorResponse>(authors, next));
    }

    private static ProblemHttpResult NoSuchUser(string username) => Problems.NotFound($"There is no user '{username}'.");
}
