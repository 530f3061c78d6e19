using System.Data.Common;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Feed.Data;

/// <summary>SQL over <c>feed_follows</c> and <c>feed_blocks</c>.</summary>
internal sealed class FollowStore(IDatabase database)
{
    /// <summary>Inserts the follow; false when it already existed.</summary>
    public static async Task<bool> TryFollowAsync(DbTransaction transaction, long follower, long followee, long id, long nowMs, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO feed_follows (follower_id, followee_id, id, created_at) VALUES (@follower, @followee, @id, @nowMs)
            ON CONFLICT (follower_id, followee_id) DO NOTHING
            """,
            new { follower, followee, id, nowMs }, transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>Removes the follow; false when there was none.</summary>
    public static async Task<bool> TryUnfollowAsync(DbTransaction transaction, long follower, long followee, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM feed_follows WHERE follower_id = @follower AND followee_id = @followee",
            new { follower, followee }, transaction, cancellationToken: cancellationToken)) == 1;

    public static async Task<bool> IsFollowingAsync(DbConnection connection, DbTransaction? transaction, long follower, long followee, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM feed_follows WHERE follower_id = @follower AND followee_id = @followee",
            new { follower, followee }, transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>Of <paramref name="authors"/>, those <paramref name="reader"/> follows: a timeline read keeps only their posts.</summary>
    public async Task<HashSet<long>> FollowedAmongAsync(DbConnection connection, long reader, IReadOnlyCollection<long> authors, CancellationToken cancellationToken) =>
        authors.Count == 0
            ? []
            : (await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT followee_id FROM feed_follows WHERE follower_id = @reader AND {SqlIds.In(database.Dialect, "followee_id", "authors")}",
                new { reader, authors = authors.ToArray() }, cancellationToken: cancellationToken))).ToHashSet();

    /// <summary>Who follows <paramref name="user"/>, newest follow first, below the follow id <paramref name="before"/>.</summary>
    public async Task<List<FollowRow>> FollowersAsync(long user, long before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        return (await connection.QueryAsync<FollowRow>(new CommandDefinition(
            """
            SELECT follower_id AS UserId, id AS Id FROM feed_follows
            WHERE followee_id = @user AND id < @before ORDER BY id DESC LIMIT @limit
            """,
            new { user, before, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Whom <paramref name="user"/> follows, newest follow first, below the follow id <paramref name="before"/>.</summary>
    public async Task<List<FollowRow>> FollowingAsync(long user, long before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        return (await connection.QueryAsync<FollowRow>(new CommandDefinition(
            """
            SELECT followee_id AS UserId, id AS Id FROM feed_follows
            WHERE follower_id = @user AND id < @before ORDER BY id DESC LIMIT @limit
            """,
            new { user, before, limit }, cancellationToken: cancellationToken))).AsList();
    }

    public static async Task<bool> TryBlockAsync(DbTransaction transaction, long blocker, long blocked, long nowMs, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO feed_blocks (blocker_id, blocked_id, created_at) VALUES (@blocker, @blocked, @nowMs)
            ON CONFLICT (blocker_id, blocked_id) DO NOTHING
            """,
            new { blocker, blocked, nowMs }, transaction, cancellationToken: cancellationToken)) == 1;

    public static Task UnblockAsync(DbTransaction transaction, long blocker, long blocked, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM feed_blocks WHERE blocker_id = @blocker AND blocked_id = @blocked",
            new { blocker, blocked }, transaction, cancellationToken: cancellationToken));

    /// <summary>True when either user blocks the other.</summary>
    public static async Task<bool> AnyBlockAsync(DbConnection connection, DbTransaction? transaction, long a, long b, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT COUNT(*) FROM feed_blocks
            WHERE (blocker_id = @a AND blocked_id = @b) OR (blocker_id = @b AND blocked_id = @a)
            """,
            new { a, b }, transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>Of <paramref name="authors"/>, those <paramref name="reader"/> blocks or who block the reader.</summary>
    public async Task<HashSet<long>> BlockedAmongAsync(DbConnection connection, long reader, IReadOnlyCollection<long> authors, CancellationToken cancellationToken) =>
        authors.Count == 0
            ? []
            : (await connection.QueryAsync<long>(new CommandDefinition(
                $"""
                SELECT blocked_id FROM feed_blocks WHERE blocker_id = @reader AND {SqlIds.In(database.Dialect, "blocked_id", "authors")}
                UNION
                SELECT blocker_id FROM feed_blocks WHERE blocked_id = @reader AND {SqlIds.In(database.Dialect, "blocker_id", "authors")}
                """,
                new { reader, authors = authors.ToArray() }, cancellationToken: cancellationToken))).ToHashSet();
}
