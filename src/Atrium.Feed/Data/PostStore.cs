using System.Data.Common;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Feed.Data;

/// <summary>SQL over <c>feed_posts</c>; the same statements run on SQLite and PostgreSQL.</summary>
internal sealed class PostStore(IDatabase database)
{
    public static Task InsertAsync(DbTransaction transaction, PostRow post, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO feed_posts (id, author_id, text, created_at) VALUES (@Id, @AuthorId, @Text, @CreatedAt)",
            post, transaction, cancellationToken: cancellationToken));

    /// <summary>Tombstones <paramref name="author"/>'s post; false when they have no such live post.</summary>
    public static async Task<bool> DeleteAsync(DbTransaction transaction, long id, long author, long nowMs, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE feed_posts SET deleted_at = @nowMs WHERE id = @id AND author_id = @author AND deleted_at IS NULL",
            new { id, author, nowMs }, transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>
    /// The posts with these ids (deleted ones included, so the cache can hold the tombstone), from the primary: they
    /// fill the post cache, and a replica inside its lag window would have a deleted post cached as live.
    /// </summary>
    public async Task<List<PostRow>> FindManyOnPrimaryAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var primary = await database.OpenPrimaryAsync(cancellationToken);
        return [.. await FindManyAsync(primary, ids, cancellationToken)];
    }

    /// <summary><paramref name="author"/>'s live posts with ids in (<paramref name="since"/>, <paramref name="before"/>), newest first.</summary>
    public static async Task<List<long>> AuthorPostIdsAsync(
        DbConnection connection, DbTransaction? transaction, long author, long before, long since, int limit, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT id FROM feed_posts
            WHERE author_id = @author AND id < @before AND id > @since AND deleted_at IS NULL
            ORDER BY id DESC LIMIT @limit
            """,
            new { author, before, since, limit }, transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary><paramref name="author"/>'s live posts, newest first, below the cursor: a profile's list.</summary>
    public async Task<List<PostRow>> ListByAuthorAsync(long author, long before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        return (await connection.QueryAsync<PostRow>(new CommandDefinition(
            $"""
            SELECT {PostRow.Columns} FROM feed_posts
            WHERE author_id = @author AND id < @before AND deleted_at IS NULL
            ORDER BY id DESC LIMIT @limit
            """,
            new { author, before, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Fan-out on read: the live posts of everyone <paramref name="reader"/> follows, and the reader's own, with ids
    /// in (<paramref name="since"/>, <paramref name="before"/>), newest first. The pull mode's whole read, the hybrid
    /// mode's read past the timeline cap and while a timeline is rebuilt, and a rebuild's source.
    /// </summary>
    public static async Task<List<(long Id, long AuthorId)>> PullAsync(
        DbConnection connection, DbTransaction? transaction, long reader, bool includeReader, bool celebrities, long before, long since, int limit, CancellationToken cancellationToken)
    {
        var followees = celebrities
            ? "SELECT followee_id FROM feed_follows WHERE follower_id = @reader"
            : """
              SELECT f.followee_id FROM feed_follows f
              WHERE f.follower_id = @reader
                AND NOT EXISTS (SELECT 1 FROM feed_users u WHERE u.user_id = f.followee_id AND u.celebrity = 1)
              """;
        var rows = await connection.QueryAsync<(long, long)>(new CommandDefinition(
            $"""
            SELECT id, author_id FROM feed_posts
            WHERE (author_id IN ({followees}){(includeReader ? " OR author_id = @reader" : "")})
              AND id < @before AND id > @since AND deleted_at IS NULL
            ORDER BY id DESC LIMIT @limit
            """,
            new { reader, before, since, limit }, transaction, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private async Task<IEnumerable<PostRow>> FindManyAsync(DbConnection connection, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? []
            : await connection.QueryAsync<PostRow>(new CommandDefinition(
                $"SELECT {PostRow.Columns} FROM feed_posts WHERE {SqlIds.In(database.Dialect, "id", "ids")}",
                new { ids = ids.ToArray() }, cancellationToken: cancellationToken));
}
