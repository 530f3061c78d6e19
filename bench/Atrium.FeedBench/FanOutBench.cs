using System.Diagnostics;
using Atrium.Feed;
using Atrium.Feed.Data;
using Atrium.Platform.Users;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atrium.FeedBench;

/// <summary>
/// Fan-out on the real path — <c>POST /api/v1/posts</c>, outbox, queue, planner, batches of
/// <see cref="FeedOptions.BatchSize"/>, the Redis timeline store's push script — for one author with
/// <see cref="BenchOptions.Followers"/> active followers. The followers are seeded straight into the feed's tables (a
/// follow row and an activity row each) and their timelines created in Redis, as a rebuild would; the author is a real
/// account. Timeline inserts are counted by the store itself (<see cref="ITimelineStore.Writes"/>), watched in process.
/// Each round: the reference (<see cref="ScriptReference"/>: the same script by redis-benchmark, the same number of
/// inserts) and the fan-out, in an order that flips every round, then the post → visible latency.
/// </summary>
internal static class FanOutBench
{
    /// <summary>How long the bench waits for a fan-out to land before it records the round as incomplete.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public sealed record Round(
        int Number, Percentiles Visibility, Percentiles PostLatency, double InsertsPerSecond, long Inserts, long Expected, double Seconds,
        int Invisible, ScriptReference.Result Reference);

    public static async Task<IReadOnlyList<Round>> RunAsync(HttpClient http, IServiceProvider services, BenchOptions options, string redis, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<ITimelineStore>();
        var feed = services.GetRequiredService<IOptions<FeedOptions>>().Value;
        var author = await BenchUser.SignUpAsync(http, $"fa{Guid.NewGuid():N}"[..20], cancellationToken);
        await author.SendAsync(http, HttpMethod.Post, "/api/v1/posts", cancellationToken, new { text = "hello" }); // creates the author's feed row
        var authorId = (await services.GetRequiredService<IUserDirectory>().FindByUsernameAsync(author.Username, cancellationToken))!.Id;
        var followers = await SeedFollowersAsync(services, authorId, options.Followers, cancellationToken);
        Console.WriteLine($"fan-out: {options.Followers} active followers seeded");

        var reference = new ScriptReference(redis, services.GetRequiredService<IConnectionMultiplexer>(), options.ReferenceClients);
        var batch = followers.Take(feed.BatchSize).ToList();
        var calls = Math.Max(100, (int)((long)options.Followers * options.ThroughputPosts / batch.Count));
        var rounds = new List<Round>();
        for (var r = 1; r <= options.Rounds; r++)
        {
            ScriptReference.Result referenceResult;
            (double PerSecond, long Inserts, long Expected, double Seconds) fanOut;
            if (r % 2 == 1)
            {
                referenceResult = await reference.RunAsync(batch, feed.TimelineCap, calls, cancellationToken);
                fanOut = await ThroughputAsync(http, store, author, options, cancellationToken);
            }
            else
            {
                fanOut = await ThroughputAsync(http, store, author, options, cancellationToken);
                referenceResult = await reference.RunAsync(batch, feed.TimelineCap, calls, cancellationToken);
            }

            var (visibility, postLatency, invisible) = await VisibilityAsync(http, store, author, options, cancellationToken);
            Console.WriteLine($"fan-out: round {r}: {fanOut.PerSecond:0} inserts/s ({fanOut.Inserts} in {fanOut.Seconds:0.00} s), reference {referenceResult.InsertsPerSecond:0} inserts/s; " +
                $"visibility p50 {visibility.At(50):0} ms, p99 {visibility.At(99):0} ms, max {visibility.Max:0} ms");
            rounds.Add(new Round(r, visibility, postLatency, fanOut.PerSecond, fanOut.Inserts, fanOut.Expected, fanOut.Seconds, invisible, referenceResult));
        }

        return rounds;
    }

    // Posts back to back; inserts per second from the first POST to the last insert (or to the deadline: a fan-out that
    // could not reach the timeline store marks those timelines stale instead, and the round shows the inserts missing).
    private static async Task<(double PerSecond, long Inserts, long Expected, double Seconds)> ThroughputAsync(
        HttpClient http, ITimelineStore store, BenchUser author, BenchOptions options, CancellationToken cancellationToken)
    {
        var before = store.Writes;
        var expected = (long)options.Followers * options.ThroughputPosts;
        var goal = before + expected;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < options.ThroughputPosts; i++)
        {
            await author.SendAsync(http, HttpMethod.Post, "/api/v1/posts", cancellationToken, new { text = $"throughput {i}" });
        }

        await WaitForAsync(store, goal, cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        var inserts = store.Writes - before;
        return (inserts / seconds, inserts, expected, seconds);
    }

    // One post at a time, from before the POST until the last follower's timeline holds it (a post still not in every
    // timeline at the deadline counts as invisible, with the deadline as its sample).
    private static async Task<(Percentiles Visibility, Percentiles PostLatency, int Invisible)> VisibilityAsync(
        HttpClient http, ITimelineStore store, BenchUser author, BenchOptions options, CancellationToken cancellationToken)
    {
        var visibility = new List<double>();
        var postLatency = new List<double>();
        var invisible = 0;
        for (var i = 0; i < options.VisibilityPosts; i++)
        {
            var target = store.Writes + options.Followers;
            var clock = Stopwatch.StartNew();
            await author.SendAsync(http, HttpMethod.Post, "/api/v1/posts", cancellationToken, new { text = $"visibility {i}" });
            postLatency.Add(clock.Elapsed.TotalMilliseconds);
            if (!await WaitForAsync(store, target, cancellationToken))
            {
                invisible++;
            }

            visibility.Add(clock.Elapsed.TotalMilliseconds);
        }

        return (new Percentiles(visibility), new Percentiles(postLatency), invisible);
    }

    private static async Task<bool> WaitForAsync(ITimelineStore store, long target, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (store.Writes < target)
        {
            if (deadline.Elapsed > Deadline)
            {
                Console.WriteLine($"fan-out: stalled at {store.Writes} of {target} inserts after {Deadline.TotalSeconds:0} s");
                return false;
            }

            await Task.Delay(1, cancellationToken);
        }

        return true;
    }

    private static async Task<List<long>> SeedFollowersAsync(IServiceProvider services, long authorId, int count, CancellationToken cancellationToken)
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
        return followers;
    }
}
