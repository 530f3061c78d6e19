using System.Data.Common;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Feed.Data;

/// <summary>
/// SQL over <c>feed_users</c>: counters, the celebrity flag, activity and timeline state. Counters change in the
/// transaction of the post or follow that changes them (upserts: a user's first row appears on first use).
/// </summary>
internal static class FeedUserStore
{
    public static Task<FeedUserRow?> FindAsync(DbConnection connection, DbTransaction? transaction, long userId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<FeedUserRow>(new CommandDefinition(
            $"SELECT {FeedUserRow.Columns} FROM feed_users WHERE user_id = @userId", new { userId }, transaction, cancellationToken: cancellationToken));

    public static Task PostAddedAsync(DbTransaction transaction, long author, long postId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO feed_users (user_id, posts, last_post_id) VALUES (@author, 1, @postId)
            ON CONFLICT (user_id) DO UPDATE SET posts = feed_users.posts + 1, last_post_id = @postId
            """,
            new { author, postId }, transaction, cancellationToken: cancellationToken));

    public static Task PostRemovedAsync(DbTransaction transaction, long author, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE feed_users SET posts = posts - 1 WHERE user_id = @author AND posts > 0",
            new { author }, transaction, cancellationToken: cancellationToken));

    /// <summary>Adds <paramref name="delta"/> to the follower's following count.</summary>
    public static Task FollowingChangedAsync(DbTransaction transaction, long follower, int delta, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO feed_users (user_id, following) VALUES (@follower, @initial)
            ON CONFLICT (user_id) DO UPDATE SET following = feed_users.following + @delta
            """,
            new { follower, delta, initial = Math.Max(0, delta) }, transaction, cancellationToken: cancellationToken));

    /// <summary>Adds <paramref name="delta"/> to the followee's follower count and returns the row as it is now.</summary>
    public static Task<FeedUserRow> FollowersChangedAsync(DbTransaction transaction, long followee, int delta, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleAsync<FeedUserRow>(new CommandDefinition(
            $"""
            INSERT INTO feed_users (user_id, followers) VALUES (@followee, @initial)
            ON CONFLICT (user_id) DO UPDATE SET followers = feed_users.followers + @delta
            RETURNING {FeedUserRow.Columns}
            """,
            new { followee, delta, initial = Math.Max(0, delta) }, transaction, cancellationToken: cancellationToken));

    public static Task SetCelebrityAsync(DbTransaction transaction, long userId, bool celebrity, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE feed_users SET celebrity = @value WHERE user_id = @userId",
            new { userId, value = celebrity ? 1L : 0L }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Marks an inactive (or never seen) reader active and their timeline as being rebuilt; true when this call
    /// did it (so exactly one rebuild is requested however many reads race), false when the reader was active.
    /// </summary>
    public static async Task<bool> TryActivateAsync(DbTransaction transaction, long userId, long nowMs, long activeSince, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO feed_users (user_id, active_at, rebuilding) VALUES (@userId, @nowMs, 1)
            ON CONFLICT (user_id) DO UPDATE SET active_at = @nowMs, rebuilding = 1, stale = 0
            WHERE feed_users.active_at < @activeSince
            """,
            new { userId, nowMs, activeSince }, transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>
    /// Marks a timeline for rebuilding (the store lost it, or it is stale); true when this call did it. The stale mark
    /// is cleared here, not when the rebuild ends: a write that fails while the rebuild runs marks it stale again.
    /// </summary>
    public static async Task<bool> TryRequestRebuildAsync(DbTransaction transaction, long userId, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE feed_users SET rebuilding = 1, stale = 0 WHERE user_id = @userId AND rebuilding = 0",
            new { userId }, transaction, cancellationToken: cancellationToken)) == 1;

    public static Task TouchAsync(DbConnection connection, long userId, long nowMs, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE feed_users SET active_at = @nowMs WHERE user_id = @userId AND active_at < @nowMs",
            new { userId, nowMs }, cancellationToken: cancellationToken));

    /// <summary>
    /// Marks these users' timelines stale: a write to them could not reach the store (Redis down), so each is rebuilt
    /// from the database on its owner's next read, however long the outage lasted and whatever Redis kept.
    /// </summary>
    public static Task<int> MarkStaleAsync(DbTransaction transaction, SqlDialect dialect, IReadOnlyList<long> userIds, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE feed_users SET stale = 1 WHERE {SqlIds.In(dialect, "user_id", "ids")}",
            new { ids = userIds.ToArray() }, transaction, cancellationToken: cancellationToken));

    /// <summary>A rebuild that could not reach the store gives up: not rebuilding, stale, so a later read asks again.</summary>
    public static Task AbandonRebuildAsync(DbTransaction transaction, long userId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE feed_users SET rebuilding = 0, stale = 1 WHERE user_id = @userId",
            new { userId }, transaction, cancellationToken: cancellationToken));

    public static Task FinishRebuildAsync(DbTransaction transaction, long userId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE feed_users SET rebuilding = 0 WHERE user_id = @userId",
            new { userId }, transaction, cancellationToken: cancellationToken));

    /// <summary>The celebrities <paramref name="reader"/> follows, those who posted last first, at most <paramref name="max"/>.</summary>
    public static async Task<List<long>> FollowedCelebritiesAsync(DbConnection connection, long reader, int max, CancellationToken cancellationToken) =>
        max == 0
            ? []
            : (await connection.QueryAsync<long>(new CommandDefinition(
                """
                SELECT u.user_id FROM feed_follows f JOIN feed_users u ON u.user_id = f.followee_id
                WHERE f.follower_id = @reader AND u.celebrity = 1
                ORDER BY u.last_post_id DESC LIMIT @max
                """,
                new { reader, max }, cancellationToken: cancellationToken))).AsList();

    /// <summary>
    /// Followers of <paramref name="author"/> active since <paramref name="activeSince"/>, in follow order after the
    /// follow id <paramref name="after"/> (keyset: the fan-out planner walks them in pages).
    /// </summary>
    public static async Task<List<FollowRow>> ActiveFollowersAsync(
        DbTransaction transaction, long author, long activeSince, long after, int limit, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<FollowRow>(new CommandDefinition(
            """
            SELECT f.follower_id AS UserId, f.id AS Id FROM feed_follows f JOIN feed_users u ON u.user_id = f.follower_id
            WHERE f.followee_id = @author AND f.id > @after AND u.active_at >= @activeSince
            ORDER BY f.id LIMIT @limit
            """,
            new { author, activeSince, after, limit }, transaction, cancellationToken: cancellationToken))).AsList();
}
