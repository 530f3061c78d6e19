using System.Diagnostics;
using System.Globalization;
using Atrium.Feed;
using Atrium.Feed.Data;
using Atrium.Lab.Experiments;
using Atrium.Lab.Load;
using Atrium.Lab.Systems;
using StackExchange.Redis;

namespace Atrium.Lab.FanOut;

/// <summary>
/// One strategy of the <c>fanout</c> experiment on its own real Atrium server (embedded SQLite + a Redis logical
/// database for timelines) with <c>Feed:Mode</c> set: builds the <see cref="FollowGraph"/>, publishes posts one at a
/// time (measuring each: timeline writes, fan-out completion, a reader seeing it), then puts the readers' feed reads
/// under an open-loop load.
/// </summary>
internal sealed class StrategyRun(ExperimentContext context, FollowGraph graph, long celebrityThreshold, RedisInstance redis, int redisDatabase)
{
    public const string WritesMetric = "atrium_feed_timeline_writes_total";
    public const string CelebritySkipsMetric = "atrium_feed_fanout_celebrity_skips_total";
    private const int PageSize = 20;
    private static readonly TimeSpan PostWait = TimeSpan.FromSeconds(60);

    public async Task<StrategyMeasurement> RunAsync(
        FanOutMode mode, int celebrityPosts, int ordinaryPosts, double readRate, TimeSpan readDuration, CancellationToken cancellationToken)
    {
        var label = mode.ToString().ToLowerInvariant();
        var directory = Path.Combine(Path.GetTempPath(), $"atrium-lab-fanout-{Guid.NewGuid():N}");
        var redisConnection = redis.ConnectionStringFor(redisDatabase, $"fanout-{label}");
        var start = context.Progress.Step($"{label}: starting an Atrium server (Feed:Mode={mode})", 1);
        var server = await AtriumServers.StartAsync(
            new Dictionary<string, string>
            {
                ["Atrium:DataDirectory"] = directory,
                ["ConnectionStrings:Redis"] = redisConnection,
                ["Feed:Mode"] = mode.ToString(),
                ["Feed:CelebrityThreshold"] = celebrityThreshold.ToString(CultureInfo.InvariantCulture),
                ["Feed:PostsPerMinute"] = "600000",
                ["Feed:PostsBurst"] = "100000",
                ["Feed:FollowChangesPerMinute"] = "600000",
                ["Feed:FollowChangesBurst"] = "100000",
                ["Feed:ReadsPerMinute"] = "6000000",
                ["Feed:ReadsBurst"] = "1000000",
            },
            cancellationToken);
        start.Complete();
        try
        {
            using var http = LinkClient.Create(server.Address, 512);
            await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(redisConnection);
            var users = await BuildGraphAsync(http, multiplexer, Path.Combine(directory, "atrium.db"), label, cancellationToken);
            var posts = await PublishAsync(http, multiplexer, users, mode, celebrityPosts, ordinaryPosts, label, cancellationToken);
            var reads = await ReadLoadAsync(http, users, readRate, readDuration, label, cancellationToken);
            return new StrategyMeasurement(mode, posts, reads);
        }
        finally
        {
            await server.DisposeAsync();
            TryDelete(directory);
        }
    }

    private async Task<GraphUsers> BuildGraphAsync(HttpClient http, IConnectionMultiplexer multiplexer, string databaseFile, string label, CancellationToken cancellationToken)
    {
        var names = new List<string> { "celebrity" };
        names.AddRange(Enumerable.Range(1, graph.Authors).Select(a => $"author{a}"));
        names.AddRange(Enumerable.Range(1, graph.Readers).Select(r => $"reader{r}"));
        var signUp = context.Progress.Step($"{label}: {names.Count} accounts through the API", names.Count);
        var tokens = new string[names.Count];
        var ids = new long[names.Count];
        await Parallel.ForAsync(0, names.Count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            tokens[i] = await FeedClient.SignUpAsync(http, names[i], ct);
            ids[i] = await GraphSeeder.UserIdAsync(databaseFile, names[i], ct);
            signUp.Advance();
        });
        signUp.Complete();

        var users = new GraphUsers(
            new GraphUser(names[0], tokens[0], ids[0]),
            [.. Enumerable.Range(1, graph.Authors).Select(i => new GraphUser(names[i], tokens[i], ids[i]))],
            [.. Enumerable.Range(1 + graph.Authors, graph.Readers).Select(i => new GraphUser(names[i], tokens[i], ids[i]))]);

        var seed = context.Progress.Step($"{label}: seeding {graph.CelebrityFollowers:N0} generated followers", 1);
        await GraphSeeder.SeedAsync(databaseFile, multiplexer, graph, users.Celebrity.Id, [.. users.Authors.Select(a => a.Id)], cancellationToken);
        seed.Complete();

        // The readers follow through the API (their first follow of the celebrity sets its flag), then read once:
        // that marks them active and builds their timeline, so fan-out on write reaches them too.
        var follow = context.Progress.Step($"{label}: readers follow and build their timelines", graph.Readers);
        await Parallel.ForEachAsync(users.Readers, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (reader, ct) =>
        {
            foreach (var followee in users.Authors.Prepend(users.Celebrity))
            {
                await FeedClient.FollowAsync(http, reader.Token, followee.Username, ct);
            }

            await Wait.UntilAsync(async c => !(await FeedClient.ReadFeedAsync(http, reader.Token, PageSize, c)).Regenerating,
                PostWait, () => $"the timeline of {reader.Username} was not rebuilt", ct);
            follow.Advance();
        });
        follow.Complete();
        return users;
    }

    private async Task<List<PostMeasurement>> PublishAsync(
        HttpClient http, IConnectionMultiplexer multiplexer, GraphUsers users, FanOutMode mode, int celebrityPosts, int ordinaryPosts, string label, CancellationToken cancellationToken)
    {
        // Interleaved: a celebrity's post, then ordinary ones, so both kinds see the same server state.
        var plan = new List<int?>();
        for (var i = 0; i < Math.Max(celebrityPosts, ordinaryPosts); i++)
        {
            if (i < celebrityPosts)
            {
                plan.Add(null);
            }

            if (i < ordinaryPosts)
            {
                plan.Add(i % graph.Authors);
            }
        }

        var step = context.Progress.Step($"{label}: {plan.Count} posts, one at a time", plan.Count);
        var measured = new List<PostMeasurement>();
        for (var p = 0; p < plan.Count; p++)
        {
            measured.Add(await MeasurePostAsync(http, multiplexer, users, mode, plan[p], users.Readers[p % users.Readers.Count], p, cancellationToken));
            step.Advance();
        }

        step.Complete();
        return measured;
    }

    private async Task<PostMeasurement> MeasurePostAsync(
        HttpClient http, IConnectionMultiplexer multiplexer, GraphUsers users, FanOutMode mode, int? author, GraphUser reader, int index, CancellationToken cancellationToken)
    {
        var celebrity = author is null;
        var poster = author is { } a ? users.Authors[a] : users.Celebrity;
        var pushed = mode == FanOutMode.Push || (mode == FanOutMode.Hybrid && !celebrity);
        var audience = celebrity ? graph.CelebrityAudience : graph.AuthorAudience;
        var writesBefore = await PrometheusScrape.CounterAsync(http, http.BaseAddress!, WritesMetric, cancellationToken);
        var skipsBefore = await PrometheusScrape.CounterAsync(http, http.BaseAddress!, CelebritySkipsMetric, cancellationToken);

        var clock = Stopwatch.StartNew();
        var postId = await FeedClient.PostAsync(http, poster.Token, string.Create(CultureInfo.InvariantCulture, $"post {index} by {poster.Username}"), cancellationToken);
        var probes = graph.Probes(author).Concat(users.Readers.Select(r => r.Id)).ToList();
        var fanOut = pushed ? UntilAsync(() => AllHoldAsync(multiplexer, probes, postId, cancellationToken), clock, cancellationToken) : Task.FromResult<double?>(null);
        var visible = UntilAsync(async () => (await FeedClient.ReadFeedAsync(http, reader.Token, PageSize, cancellationToken)).PostIds.Contains(postId), clock, cancellationToken);
        await Task.WhenAll(fanOut, visible);

        // Counts, not times: wait (bounded) until the fan-out is fully counted, or the celebrity's skip is.
        if (pushed)
        {
            await UntilAsync(async () => await WritesAsync() - writesBefore >= audience, clock, cancellationToken);
        }
        else if (mode == FanOutMode.Hybrid)
        {
            await UntilAsync(async () => await PrometheusScrape.CounterAsync(http, http.BaseAddress!, CelebritySkipsMetric, cancellationToken) > skipsBefore, clock, cancellationToken);
        }

        return new PostMeasurement(celebrity, (long)(await WritesAsync() - writesBefore), await fanOut, await visible);

        Task<double> WritesAsync() => PrometheusScrape.CounterAsync(http, http.BaseAddress!, WritesMetric, cancellationToken);
    }

    private async Task<LoadResult> ReadLoadAsync(HttpClient http, GraphUsers users, double rate, TimeSpan duration, string label, CancellationToken cancellationToken)
    {
        var warm = context.Progress.Step($"{label}: warming up the feed reads", 1);
        await OpenLoopLoad.RunAsync((i, ct) => ReadAsync(http, users.Readers[(int)(i % users.Readers.Count)], ct), rate, TimeSpan.FromSeconds(1), cancellationToken);
        warm.Complete();
        var step = context.Progress.Step($"{label}: {rate:0} feed reads/s", Math.Round(rate * duration.TotalSeconds));
        var result = await OpenLoopLoad.RunAsync(
            (i, ct) => ReadAsync(http, users.Readers[(int)(i % users.Readers.Count)], ct), rate, duration, cancellationToken, onSent: () => step.Advance());
        step.Complete();
        return result;
    }

    private static async Task<string?> ReadAsync(HttpClient http, GraphUser reader, CancellationToken cancellationToken)
    {
        using var response = await FeedClient.SendReadAsync(http, reader.Token, PageSize, cancellationToken);
        return response.IsSuccessStatusCode ? null : $"http {(int)response.StatusCode}";
    }

    /// <summary>Whether every probed timeline holds the post (one pipelined round trip).</summary>
    private static async Task<bool> AllHoldAsync(IConnectionMultiplexer multiplexer, IReadOnlyList<long> users, long postId, CancellationToken cancellationToken)
    {
        var batch = multiplexer.GetDatabase().CreateBatch();
        var member = RedisTimelineStore.Member(postId);
        var scores = users.Select(u => batch.SortedSetScoreAsync(RedisTimelineStore.Key(u), member)).ToList();
        batch.Execute();
        return (await Task.WhenAll(scores).WaitAsync(cancellationToken)).All(s => s is not null);
    }

    /// <summary>Polls <paramref name="done"/>; the elapsed milliseconds of <paramref name="clock"/> when it holds, or null after <see cref="PostWait"/>.</summary>
    private static async Task<double?> UntilAsync(Func<Task<bool>> done, Stopwatch clock, CancellationToken cancellationToken)
    {
        var deadline = clock.Elapsed + PostWait;
        while (!await done())
        {
            if (clock.Elapsed > deadline)
            {
                return null;
            }

            await Task.Delay(2, cancellationToken);
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private sealed record GraphUser(string Username, string Token, long Id);

    private sealed record GraphUsers(GraphUser Celebrity, IReadOnlyList<GraphUser> Authors, IReadOnlyList<GraphUser> Readers);
}
