using System.Diagnostics;
using Atrium.Feed.Data;
using Atrium.Platform.Users;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Atrium.FeedBench;

/// <summary>
/// Fan-out on the real path — <c>POST /api/v1/posts</c>, outbox, queue, planner, batches of 1,000, the Redis
/// timeline store's pipelined insert + trim — for one author with <see cref="BenchOptions.Followers"/> active
/// followers. The followers are seeded straight into the feed's tables (a follow row and an activity row each)
/// and their timelines created in Redis, as a rebuild would; the author is a real account. Timeline inserts are
/// counted by the store itself (<see cref="ITimelineStore.Writes"/>), watched in process.
/// </summary>
internal static class FanOutBench
{
    public sealed record Result(Percentiles Visibility, Percentiles PostLatency, double InsertsPerSecond, long Inserts, double Seconds);

    public static async Task<Result> RunAsync(HttpClient http, IServiceProvider services, BenchOptions options, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<ITimelineStore>();
        var author = await BenchUser.SignUpAsync(http, $"fa{Guid.NewGuid():N}"[..20], cancellationToken);
        await author.SendAsync(http, HttpMethod.Post, "/api/v1/posts", cancellationToken, new { text = "hello" }); // creates the author's feed row
        var authorId = (await services.GetRequiredService<IUserDirectory>().FindByUsernameAsync(author.Username, cancellationToken))!.Id;
        await SeedFollowersAsync(services, authorId, options.Followers, cancellationToken);
        Console.WriteLine($"fan-out: {options.Followers} active followers seeded");

        // Visibility: one post at a time, from before the POST until the last follower's timeline holds it.
        var visibility = new List<double>();
        var postLatency = new List<double>();
        for (var i = 0; i < options.VisibilityPosts; i++)
        {
            var target = store.Writes + options.Followers;
            var clock = Stopwatch.StartNew();
            await author.SendAsync(http, HttpMethod.Post, "/api/v1/posts", cancellationToken, new { text = $"visibility {i}" });
            postLatency.Add(clock.Elapsed.TotalMilliseconds);
            await WaitForAsync(store, target, cancellationToken);
            visibility.Add(clock.Elapsed.TotalMilliseconds);
        }

        // Throughput: posts back to back; inserts per second from the first POST to the last insert.
        var before = store.Writes;
        var goal = before + (long)options.Followers * options.ThroughputPosts;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < options.ThroughputPosts; i++)
        {
            await author.SendAsync(http, HttpMethod.Post, "/api/v1/posts", cancellationToken, new { text = $"throughput {i}" });
        }

        await WaitForAsync(store, goal, cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        var inserts = store.Writes - before;
        return new Result(new Percentiles(visibility), new Percentiles(postLatency), inserts / seconds, inserts, seconds);
    }

    private static async Task WaitForAsync(ITimelineStore store, long target, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (store.Writes < target)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"Fan-out stalled at {store.Writes} of {target} inserts.");
            }

            await Task.Delay(1, cancellationToken);
        }
    }

    private static async Task SeedFollowersAsync(IServiceProvider services, long authorId, int count, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<Atrium.Platform.Data.IDatabase>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var followers = Enumerable.Range(1, count).Select(i => 9_000_000_000_000_000L + i).ToList();
        await using (var connection = await database.OpenPrimaryAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO feed_follows (follower_id, followee_id, id, created_at) VALUES (@follower, @authorId, @follower, @now)",
                followers.Select(follower => new { follower, authorId, now }), transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO feed_users (user_id, following, active_at) VALUES (@follower, 1, @now)",
                followers.Select(follower => new { follower, now }), transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE feed_users SET followers = followers + @count WHERE user_id = @authorId",
                new { count, authorId }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var batch = redis.CreateBatch();
        var calls = followers.Select(f => batch.SortedSetAddAsync(RedisTimelineStore.Key(f), RedisTimelineStore.Sentinel, 0)).ToList();
        batch.Execute();
        await Task.WhenAll(calls).WaitAsync(cancellationToken);
    }
}
