using Atrium.Feed.Data;
using Atrium.Platform.Data;

namespace Atrium.Feed;

/// <summary>
/// Reads celebrities' newest posts on a read connection of its own, so <see cref="HomeTimeline"/> can run it alongside
/// the rest of the read and give up on it (cancel the query) when it overruns <see cref="FeedOptions.CelebrityMergeBudget"/>
/// without disturbing the read's main connection.
/// </summary>
internal sealed class CelebrityPosts(IDatabase database) : ICelebrityPosts
{
    public async Task<IReadOnlyList<IReadOnlyList<long>>> NewestAsync(
        IReadOnlyList<long> celebrities, long before, long since, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var lists = new List<IReadOnlyList<long>>(celebrities.Count);
        foreach (var celebrity in celebrities)
        {
            lists.Add(await PostStore.AuthorPostIdsAsync(connection, null, celebrity, before, since, take, cancellationToken));
        }

        return lists;
    }
}
