using System.Data.Common;
using Atrium.Feed.Data;
using Atrium.Feed.Domain;
using Atrium.Feed.Events;
using Atrium.Platform.Data;
using Atrium.Platform.Ids;
using Atrium.Platform.Messaging;
using Microsoft.Extensions.Options;

namespace Atrium.Feed;

/// <summary>
/// Follows and blocks. A follow change updates both users' counters, re-evaluates the followee's celebrity flag
/// (<see cref="CelebrityRule"/>) and publishes <see cref="FollowChanged"/> (timeline backfill or removal), in one
/// transaction; an author who stops being a celebrity has their recent posts fanned out. A block removes the follows both ways and forbids new ones while it lasts.
/// </summary>
internal sealed class Following(IDatabase database, SnowflakeIds ids, IEventPublisher publisher, TimeProvider time, IOptions<FeedOptions> options)
{
    public async Task<FollowResult> FollowAsync(long follower, long followee, CancellationToken cancellationToken)
    {
        if (follower == followee)
        {
            return FollowResult.Self;
        }

        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await FollowStore.AnyBlockAsync(connection, transaction, follower, followee, cancellationToken))
        {
            return FollowResult.Blocked;
        }

        if (await FollowStore.TryFollowAsync(transaction, follower, followee, ids.Next(), time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken))
        {
            await CountAsync(transaction, follower, followee, +1, cancellationToken);
            await publisher.PublishAsync(new FollowChanged(follower, followee, Following: true), transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return FollowResult.Done;
    }

    public async Task UnfollowAsync(long follower, long followee, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await UnfollowAsync(transaction, follower, followee, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Blocks <paramref name="blocked"/>: their posts leave the blocker's reads, and follows both ways end.</summary>
    public async Task<bool> BlockAsync(long blocker, long blocked, CancellationToken cancellationToken)
    {
        if (blocker == blocked)
        {
            return false;
        }

        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await FollowStore.TryBlockAsync(transaction, blocker, blocked, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        await UnfollowAsync(transaction, blocker, blocked, cancellationToken);
        await UnfollowAsync(transaction, blocked, blocker, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task UnblockAsync(long blocker, long blocked, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await FollowStore.UnblockAsync(transaction, blocker, blocked, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task UnfollowAsync(DbTransaction transaction, long follower, long followee, CancellationToken cancellationToken)
    {
        if (await FollowStore.TryUnfollowAsync(transaction, follower, followee, cancellationToken))
        {
            await CountAsync(transaction, follower, followee, -1, cancellationToken);
            await publisher.PublishAsync(new FollowChanged(follower, followee, Following: false), transaction, cancellationToken);
        }
    }

    private async Task CountAsync(DbTransaction transaction, long follower, long followee, int delta, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await FeedUserStore.FollowingChangedAsync(transaction, follower, delta, cancellationToken);
        var row = await FeedUserStore.FollowersChangedAsync(transaction, followee, delta, cancellationToken);
        var celebrity = CelebrityRule.Next(row.IsCelebrity, row.Followers, settings.CelebrityThreshold, settings.CelebrityLowerThreshold);
        if (celebrity != row.IsCelebrity)
        {
            await FeedUserStore.SetCelebrityAsync(transaction, followee, celebrity, cancellationToken);
            if (!celebrity)
            {
                // Back to ordinary: the posts made as a celebrity were never pushed and are no longer merged at
                // read, so they are planned again (now pushed) — rare, thanks to the hysteresis.
                var recent = await PostStore.AuthorPostIdsAsync(
                    transaction.Connection!, transaction, followee, long.MaxValue, 0, settings.BackfillCount, cancellationToken);
                foreach (var postId in recent)
                {
                    await publisher.PublishAsync(new PostCreated(postId, followee), transaction, cancellationToken);
                }
            }
        }
    }
}
