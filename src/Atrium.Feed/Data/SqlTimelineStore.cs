using System.Data.Common;
using Atrium.Platform.Data;
using Dapper;
using Microsoft.Extensions.Options;

namespace Atrium.Feed.Data;

/// <summary>
/// Home timelines in <c>feed_timeline</c> (the embedded shape, or PostgreSQL without Redis). Every write goes
/// through the consumer's transaction, so a redelivered batch writes nothing twice. Trimming keeps the newest
/// <see cref="FeedOptions.TimelineCap"/> rows per user; a timeline always "exists" here (its state lives in
/// <c>feed_users</c>, in the same database).
/// </summary>
internal sealed class SqlTimelineStore(IDatabase database, IOptions<FeedOptions> options) : ITimelineStore
{
    private readonly int _cap = options.Value.TimelineCap;
    private long _writes;

    public long Writes => Interlocked.Read(ref _writes);

    public async Task<int> PushAsync(DbTransaction transaction, long postId, long authorId, IReadOnlyList<long> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return 0;
        }

        var connection = transaction.Connection!;
        int written;
        if (database.Dialect == SqlDialect.Postgres)
        {
            written = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO feed_timeline (user_id, post_id, author_id) SELECT u, @postId, @authorId FROM unnest(@users) AS u
                ON CONFLICT (user_id, post_id) DO NOTHING
                """,
                new { postId, authorId, users = userIds.ToArray() }, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            written = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO feed_timeline (user_id, post_id, author_id) VALUES (@userId, @postId, @authorId) ON CONFLICT (user_id, post_id) DO NOTHING",
                userIds.Select(userId => new { userId, postId, authorId }), transaction, cancellationToken: cancellationToken));
        }

        await TrimAsync(transaction, userIds, cancellationToken);
        Interlocked.Add(ref _writes, written);
        return written;
    }

    public async Task AddAsync(DbTransaction transaction, long userId, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken)
    {
        if (posts.Count == 0)
        {
            return;
        }

        var written = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO feed_timeline (user_id, post_id, author_id) VALUES (@userId, @PostId, @AuthorId) ON CONFLICT (user_id, post_id) DO NOTHING",
            posts.Select(p => new { userId, p.PostId, p.AuthorId }), transaction, cancellationToken: cancellationToken));
        await TrimAsync(transaction, [userId], cancellationToken);
        Interlocked.Add(ref _writes, written);
    }

    public Task StartRebuildAsync(DbTransaction transaction, long userId, CancellationToken cancellationToken) =>
        Task.CompletedTask; // pushes always land here: a table has no "timeline exists" state to race with

    public Task KeepAsync(long userId, CancellationToken cancellationToken) => Task.CompletedTask; // rows do not expire: the cap bounds them

    public Task RebuildAsync(DbTransaction transaction, long userId, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken) =>
        AddAsync(transaction, userId, posts, cancellationToken);

    public Task RemoveAuthorAsync(DbTransaction transaction, long userId, long authorId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM feed_timeline WHERE user_id = @userId AND author_id = @authorId",
            new { userId, authorId }, transaction, cancellationToken: cancellationToken));

    public async Task<TimelineSlice> ReadAsync(long userId, long before, long since, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT post_id FROM feed_timeline WHERE user_id = @userId AND post_id < @before AND post_id > @since
            ORDER BY post_id DESC LIMIT @take
            """,
            new { userId, before, since, take }, cancellationToken: cancellationToken))).AsList();
        return new TimelineSlice(TimelineState.Ready, ids, ids.Count < take);
    }

    /// <summary>Deletes what lies beyond the cap in each of these timelines.</summary>
    private Task<int> TrimAsync(DbTransaction transaction, IReadOnlyList<long> userIds, CancellationToken cancellationToken) =>
        database.Dialect == SqlDialect.Postgres
            ? transaction.Connection!.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM feed_timeline t USING (
                    SELECT user_id, post_id FROM (
                        SELECT user_id, post_id, row_number() OVER (PARTITION BY user_id ORDER BY post_id DESC) AS rank
                        FROM feed_timeline WHERE user_id = ANY(@users)) ranked
                    WHERE rank > @cap) old
                WHERE t.user_id = old.user_id AND t.post_id = old.post_id
                """,
                new { users = userIds.ToArray(), cap = _cap }, transaction, cancellationToken: cancellationToken))
            : transaction.Connection!.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM feed_timeline WHERE user_id = @userId AND post_id < (
                    SELECT post_id FROM feed_timeline WHERE user_id = @userId ORDER BY post_id DESC LIMIT 1 OFFSET @skip)
                """,
                userIds.Select(userId => new { userId, skip = _cap - 1 }), transaction, cancellationToken: cancellationToken));
}
