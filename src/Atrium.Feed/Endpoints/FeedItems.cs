using System.Globalization;
using Atrium.Feed.Data;
using Atrium.Platform.Users;

namespace Atrium.Feed.Endpoints;

/// <summary>Turns post rows into API items, with their authors looked up in bulk (cached) in the user directory.</summary>
internal sealed class FeedItems(IUserDirectory users)
{
    /// <summary>The items of these posts, in order; a post whose author no longer exists is left out.</summary>
    public async Task<List<ItemResponse>> ToItemsAsync(IReadOnlyList<PostRow> posts, CancellationToken cancellationToken)
    {
        var authors = await users.GetManyAsync([.. posts.Select(p => p.AuthorId).Distinct()], cancellationToken);
        return [.. posts.Where(p => authors.ContainsKey(p.AuthorId)).Select(p => ToItem(p, authors[p.AuthorId]))];
    }

    public static ItemResponse ToItem(PostRow post, UserSummary author) =>
        new(new PostResponse(post.Id.ToString(CultureInfo.InvariantCulture), post.Text, DateTimeOffset.FromUnixTimeMilliseconds(post.CreatedAt)), ToAuthor(author));

    public static AuthorResponse ToAuthor(UserSummary user) => new(user.Username, user.DisplayName);
}
