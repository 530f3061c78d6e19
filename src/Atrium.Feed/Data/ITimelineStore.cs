using System.Data.Common;

namespace Atrium.Feed.Data;

/// <summary>
/// Home timelines: per user, the ids of the newest posts pushed to them, capped at <see cref="FeedOptions.TimelineCap"/>.
/// Two implementations, chosen by the shape: <see cref="SqlTimelineStore"/> (a table in the module's database) and
/// <see cref="RedisTimelineStore"/> (a sorted set per user). Writes run inside a consumer's transaction: the table
/// store writes through it (so they apply once); the Redis store's writes are idempotent set operations.
/// </summary>
internal interface ITimelineStore
{
    /// <summary>Timeline entries written since start: the fan-out cost the tests and the Lab count.</summary>
    long Writes { get; }

    /// <summary>Adds one post to each of these users' timelines (insert + trim); returns the entries written.</summary>
    Task<int> PushAsync(DbTransaction transaction, long postId, long authorId, IReadOnlyList<long> userIds, CancellationToken cancellationToken);

    /// <summary>Adds posts to one user's existing timeline (a follow's backfill), trimming to the cap.</summary>
    Task AddAsync(DbTransaction transaction, long userId, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a rebuild, before its read of the database: from here on, pushes and backfills land in the user's timeline
    /// (so a post committed after that read is not lost), though reads still see it as missing until <see cref="RebuildAsync"/>.
    /// </summary>
    Task StartRebuildAsync(DbTransaction transaction, long userId, CancellationToken cancellationToken);

    /// <summary>Completes a rebuild: adds these posts to the user's timeline, trims it to the cap, and marks it built.</summary>
    Task RebuildAsync(DbTransaction transaction, long userId, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="authorId"/>'s posts from <paramref name="userId"/>'s timeline (an unfollow or block).</summary>
    Task RemoveAuthorAsync(DbTransaction transaction, long userId, long authorId, CancellationToken cancellationToken);

    /// <summary>Keeps the user's timeline for another inactivity period (their activity was just written); best effort.</summary>
    Task KeepAsync(long userId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> post ids in (<paramref name="since"/>, <paramref name="before"/>), newest first.</summary>
    Task<TimelineSlice> ReadAsync(long userId, long before, long since, int take, CancellationToken cancellationToken);
}
