namespace Atrium.Feed.Endpoints;

/// <summary>A user as the feed shows them.</summary>
internal sealed record AuthorResponse(string Username, string DisplayName);

/// <summary>A post; <c>id</c> is the 64-bit id as a decimal string (JavaScript numbers hold 53 bits).</summary>
internal sealed record PostResponse(string Id, string Text, DateTimeOffset CreatedAt);

/// <summary>A post with its author: the element of every timeline and list of posts.</summary>
internal sealed record ItemResponse(PostResponse Post, AuthorResponse Author);

/// <summary>A page of a cursor-paged list; <c>nextCursor</c> is null on the last page.</summary>
internal sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// A page of the home timeline; <c>regenerating</c>: the timeline is being rebuilt (this page came from the database);
/// <c>partial</c>: some posts were left out to answer in time, <c>omitted</c> says which (<c>"celebrities"</c>: the
/// followed celebrities' posts, merged at read); they appear on a later read.
/// </summary>
internal sealed record FeedPageResponse(
    IReadOnlyList<ItemResponse> Items, string? NextCursor, bool Regenerating, bool Partial, IReadOnlyList<string> Omitted);

/// <summary>A user's social summary as the signed-in user sees it.</summary>
internal sealed record SocialResponse(
    string Username, string DisplayName, long Followers, long Following, long Posts, bool FollowedByMe, bool IsMe);

/// <summary>The body of <c>POST /api/v1/posts</c>.</summary>
internal sealed record CreatePostRequest(string? Text);
