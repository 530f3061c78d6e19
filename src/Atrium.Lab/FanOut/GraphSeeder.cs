using Atrium.Feed.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;

namespace Atrium.Lab.FanOut;

/// <summary>
/// Writes the generated part of a <see cref="FollowGraph"/> straight into a running server's feed: follow rows and
/// activity rows in its SQLite file (WAL: a second writer beside the server, queued by the busy timeout), the
/// authors' follower counts, and a built (sentinel-only) Redis timeline per generated user, as a rebuild leaves it.
/// Readers and authors are real accounts; their follows go through the API afterwards, which also sets the
/// celebrity flag the way production does (<c>CelebrityRule</c> on the next follow).
/// </summary>
internal static class GraphSeeder
{
    public static async Task SeedAsync(
        string databaseFile, IConnectionMultiplexer redis, FollowGraph graph, long celebrityId, IReadOnlyList<long> authorIds, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA busy_timeout = 30000;", cancellationToken: cancellationToken));
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Follow ids (unique per follower and per followee): the follower's id for the celebrity, shifted for an author.
            var follows = Enumerable.Range(0, graph.CelebrityFollowers)
                .Select(i => new { follower = FollowGraph.GeneratedUser(i), followee = celebrityId, id = FollowGraph.GeneratedUser(i), now })
                .Concat(authorIds.SelectMany((author, a) => graph.FollowersOf(a)
                    .Select(i => new { follower = FollowGraph.GeneratedUser(i), followee = author, id = FollowGraph.GeneratedUser(i) + FollowGraph.AuthorFollowIdOffset, now })));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO feed_follows (follower_id, followee_id, id, created_at) VALUES (@follower, @followee, @id, @now)",
                follows, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO feed_users (user_id, following, active_at) VALUES (@user, @following, @now)",
                Enumerable.Range(0, graph.CelebrityFollowers).Select(i => new { user = FollowGraph.GeneratedUser(i), following = 1 + graph.AuthorsFollowedBy(i), now }),
                transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO feed_users (user_id, followers) VALUES (@user, @followers)
                ON CONFLICT (user_id) DO UPDATE SET followers = feed_users.followers + @followers
                """,
                authorIds.Select(author => new { user = author, followers = (long)graph.FollowersPerAuthor })
                    .Append(new { user = celebrityId, followers = (long)graph.CelebrityFollowers }),
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        var database = redis.GetDatabase();
        foreach (var chunk in Enumerable.Range(0, graph.CelebrityFollowers).Chunk(5_000))
        {
            var batch = database.CreateBatch();
            var calls = chunk.Select(i => batch.SortedSetAddAsync(RedisTimelineStore.Key(FollowGraph.GeneratedUser(i)), RedisTimelineStore.Sentinel, 0)).ToList();
            batch.Execute();
            await Task.WhenAll(calls).WaitAsync(cancellationToken);
        }
    }

    /// <summary>The account id of <paramref name="username"/> (canonical, lower-case), read from the server's database.</summary>
    public static async Task<long> UserIdAsync(string databaseFile, string username, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<long>(new CommandDefinition(
            "SELECT id FROM accounts_users WHERE username = @username", new { username }, cancellationToken: cancellationToken));
    }
}
