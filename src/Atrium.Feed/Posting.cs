using Atrium.Feed.Data;
using Atrium.Feed.Domain;
using Atrium.Feed.Events;
using Atrium.Platform.Data;
using Atrium.Platform.Ids;
using Atrium.Platform.Messaging;

namespace Atrium.Feed;

/// <summary>
/// Creating and deleting posts. A post is stored, the author's counters updated and <see cref="PostCreated"/>
/// published through the outbox, all in one transaction: the fan-out happens if and only if the post exists.
/// </summary>
internal sealed class Posting(IDatabase database, SnowflakeIds ids, IEventPublisher publisher, PostCache cache, TimeProvider time, FeedMetrics metrics)
{
    /// <summary>Stores a post whose text has passed <see cref="PostText.Normalize"/>.</summary>
    public async Task<PostRow> CreateAsync(long author, string text, CancellationToken cancellationToken)
    {
        var post = new PostRow { Id = ids.Next(), AuthorId = author, Text = text, CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds() };
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostStore.InsertAsync(transaction, post, cancellationToken);
        await FeedUserStore.PostAddedAsync(transaction, author, post.Id, cancellationToken);
        await publisher.PublishAsync(new PostCreated(post.Id, author), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.PostCreated();
        return post;
    }

    /// <summary>Deletes <paramref name="author"/>'s post (a tombstone, filtered from every timeline at read); false when they have no such post.</summary>
    public async Task<bool> DeleteAsync(long author, long id, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenPrimaryAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (!await PostStore.DeleteAsync(transaction, id, author, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken))
            {
                return false;
            }

            await FeedUserStore.PostRemovedAsync(transaction, author, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await cache.InvalidateAsync(id, cancellationToken);
        return true;
    }
}
