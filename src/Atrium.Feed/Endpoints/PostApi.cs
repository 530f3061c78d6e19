using System.Globalization;
using Atrium.Feed.Data;
using Atrium.Feed.Domain;
using Atrium.Platform.Data;
using Atrium.Platform.Users;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Feed.Endpoints;

/// <summary>Posts: <c>POST /api/v1/posts</c>, <c>GET</c> and <c>DELETE /api/v1/posts/{id}</c>.</summary>
internal static class PostApi
{
    public const string PostPolicy = "feed-post";
    public const string ReadPolicy = "feed-read";
    public const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapPostApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/posts").WithTags("Feed").RequireAuthorization(AuthPolicies.SignedIn);
        group.MapPost("/", Create).WithName("CreatePost").RequireRateLimiting(PostPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<CreatePostRequest>("application/json");
        group.MapGet("/{id}", Get).WithName("GetPost").RequireRateLimiting(ReadPolicy);
        group.MapDelete("/{id}", Delete).WithName("DeletePost").RequireRateLimiting(PostPolicy);
        return group;
    }

    public static async Task<Results<Created<ItemResponse>, ProblemHttpResult>> Create(
        CreatePostRequest request, HttpContext http, Posting posting, IUserDirectory users, CancellationToken cancellationToken)
    {
        if (PostText.Normalize(request.Text, out var error) is not { } text)
        {
            return Problems.Validation(error!);
        }

        var me = http.User.RequiredUserId();
        var post = await posting.CreateAsync(me, text, cancellationToken);
        var author = (await users.GetManyAsync([me], cancellationToken)).GetValueOrDefault(me)
            ?? throw new InvalidOperationException($"The signed-in user {me} is not in the user directory.");
        var item = FeedItems.ToItem(post, author);
        return TypedResults.Created($"/api/v1/posts/{item.Post.Id}", item);
    }

    public static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> Get(
        string id, HttpContext http, PostCache posts, IDatabase database, FeedItems items, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var postId)
            || (await posts.GetManyAsync([postId], cancellationToken)).GetValueOrDefault(postId) is not { IsDeleted: false } post)
        {
            return NoSuchPost(id);
        }

        var me = http.User.RequiredUserId();
        if (post.AuthorId != me)
        {
            await using var connection = await database.OpenReadAsync(cancellationToken);
            if (await FollowStore.AnyBlockAsync(connection, null, me, post.AuthorId, cancellationToken))
            {
                return NoSuchPost(id);
            }
        }

        return (await items.ToItemsAsync([post], cancellationToken)) is [var item] ? TypedResults.Ok(item) : NoSuchPost(id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, HttpContext http, Posting posting, CancellationToken cancellationToken) =>
        TryParseId(id, out var postId) && await posting.DeleteAsync(http.User.RequiredUserId(), postId, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"You have no post '{id}'.");

    private static bool TryParseId(string id, out long value) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    private static ProblemHttpResult NoSuchPost(string id) => Problems.NotFound($"There is no post '{id}'.");
}
