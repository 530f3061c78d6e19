using System.Globalization;
using System.Text;
using Atrium.FeedBench;
using Atrium.Testing;
using Atrium.Testing.Servers;

// Feed measurements on one machine in one run (scripts/bench.sh feed): the real Atrium (the server's Program, on
// Kestrel at 127.0.0.1, SQLite for data and queue, Redis for home timelines) and a real Redis. Not a test: it
// asserts nothing and writes the results table of what it measured (--report) for the script's report.
var options = BenchOptions.Parse(args);
var ct = CancellationToken.None;
RedisServer? ownRedis = null;
var redis = options.Redis;
if (string.IsNullOrEmpty(redis))
{
    ownRedis = await RedisServer.StartNewAsync(ct);
    redis = ownRedis.ConnectionString;
}

var port = FreePort.Next();
var app = new AtriumApp(new Dictionary<string, string?>
{
    ["ConnectionStrings:Redis"] = redis,
    ["Feed:PostsPerMinute"] = "6000000",
    ["Feed:PostsBurst"] = "1000000",
    ["Feed:FollowChangesPerMinute"] = "6000000",
    ["Feed:FollowChangesBurst"] = "1000000",
    ["Feed:ReadsPerMinute"] = "60000000",
    ["Feed:ReadsBurst"] = "10000000",
    ["Feed:CelebrityThreshold"] = "1000000", // the 10,000-follower author is fanned out to, not merged

    // Production's messaging and click-flush timings (MessagingOptions, LinksOptions defaults), not the tests' fast
    // ones that AtriumApp sets: the visibility measured here is the one a deployment sees.
    ["Atrium:Messaging:PollInterval"] = "00:00:00.500",
    ["Atrium:Messaging:RetryBaseDelay"] = "00:00:00.500",
    ["Atrium:Messaging:RetryMaxDelay"] = "00:05:00",
    ["Links:ClickFlushInterval"] = "00:00:01",
});
try
{
    app.UseKestrel(port);
    app.StartServer();
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    var read = await ReadLatencyBench.RunAsync(http, options, ct);
    var fanOut = await FanOutBench.RunAsync(http, app.Services, options, redis, ct);
    var report = Report(options, read, fanOut);
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Report))!);
    await File.WriteAllTextAsync(options.Report, report, ct);
    Console.WriteLine($"feed-bench: wrote {options.Report}");
}
finally
{
    await app.DisposeAsync();
    if (ownRedis is not null)
    {
        await ownRedis.DisposeAsync();
    }
}

static string Report(BenchOptions options, ReadLatencyBench.Result read, IReadOnlyList<FanOutBench.Round> fanOut)
{
    var c = CultureInfo.InvariantCulture;
    var text = new StringBuilder();
    text.AppendLine(c, $"### Home-timeline read (`GET /api/v1/feed?limit=20`, full pages) vs `GET /alive`, {options.ReadsPerSecond} req/s open loop, {options.ReadSeconds} s each");
    text.AppendLine();
    text.AppendLine("| round | /alive p50 / p99 / max (ms) | feed p50 / p99 / max (ms) | feed p99 / /alive p99 | errors /alive / feed | achieved req/s /alive / feed |");
    text.AppendLine("|---|---|---|---|---|---|");
    foreach (var r in read.Rounds)
    {
        text.AppendLine(c, $"| {r.Number} | {r.Alive.Latency.At(50):0.00} / {r.Alive.Latency.At(99):0.00} / {r.Alive.Latency.Max:0.00} | {r.Feed.Latency.At(50):0.00} / {r.Feed.Latency.At(99):0.00} / {r.Feed.Latency.Max:0.00} | {r.Feed.Latency.At(99) / r.Alive.Latency.At(99):0.00} | {r.Alive.Errors} / {r.Feed.Errors} | {r.Alive.AchievedRate:0} / {r.Feed.AchievedRate:0} |");
    }

    text.AppendLine(c, $"| **median** | p99 {Median(read.Rounds.Select(r => r.Alive.Latency.At(99))):0.00} | p99 **{Median(read.Rounds.Select(r => r.Feed.Latency.At(99))):0.00}** | {Median(read.Rounds.Select(r => r.Feed.Latency.At(99) / r.Alive.Latency.At(99))):0.00} | | |");
    text.AppendLine();
    text.AppendLine(c, $"### Fan-out: timeline inserts per second, the real path vs the same script by redis-benchmark ({options.Followers:N0} active followers)");
    text.AppendLine();
    text.AppendLine("| round | fan-out inserts/s (posts back to back) | reference inserts/s (EVALSHA, same script, same Redis) | fan-out / reference | post → visible in every timeline p50 / p99 / max (ms) | the POST p50 (ms) |");
    text.AppendLine("|---|---|---|---|---|---|");
    foreach (var r in fanOut)
    {
        text.AppendLine(c, $"| {r.Number} | {r.InsertsPerSecond:N0} ({r.Inserts:N0}{(r.Inserts < r.Expected ? $" of {r.Expected:N0}: incomplete" : "")} in {r.Seconds:0.00} s) | {r.Reference.InsertsPerSecond:N0} ({r.Reference.Calls} calls × {r.Reference.BatchSize} timelines, {r.Reference.CallsPerSecond:0.0} calls/s) | {r.InsertsPerSecond / r.Reference.InsertsPerSecond:P0} | {r.Visibility.At(50):0} / {r.Visibility.At(99):0} / {r.Visibility.Max:0}{(r.Invisible > 0 ? $" ({r.Invisible} not visible everywhere in 60 s)" : "")} | {r.PostLatency.At(50):0.0} |");
    }

    text.AppendLine(c, $"| **median** | {Median(fanOut.Select(r => r.InsertsPerSecond)):N0} | {Median(fanOut.Select(r => r.Reference.InsertsPerSecond)):N0} | **{Median(fanOut.Select(r => r.InsertsPerSecond / r.Reference.InsertsPerSecond)):P0}** | p99 **{Median(fanOut.Select(r => r.Visibility.At(99))):0}** | |");
    text.AppendLine();
    text.AppendLine(c, $"- Read set-up: {options.Readers} readers, each following {options.FollowsPerReader} of {options.Authors} authors with {options.PostsPerAuthor} posts each; every read returns a full page of 20. Latency from each request's scheduled start (open loop); a few seconds of warm-up of each first; /alive and the feed alternate, the order flipping every round.");
    text.AppendLine(c, $"- Fan-out set-up: the followers are seeded into the feed's tables and their timelines created in Redis (as a rebuild does); each post then takes the real path: POST, outbox, queue, planner (batches), the store's push script (EXISTS + ZADD + ZREMRANGEBYRANK per timeline, one call per batch). {options.ThroughputPosts} posts back to back per round; inserts counted by the timeline store itself.");
    text.AppendLine(c, $"- Reference: that very script (read from RedisTimelineStore), loaded with SCRIPT LOAD and run by `redis-benchmark -c {options.ReferenceClients} -q EVALSHA` over one batch of the same followers' timelines with a fresh member per call, as many inserts as a fan-out round; inserts/s = calls/s × the batch. The reference and the fan-out alternate, the order flipping every round.");
    text.AppendLine(c, $"- Visibility: {options.VisibilityPosts} posts one at a time per round, from before the POST until the last of the {options.Followers:N0} timelines holds it; p99 of {options.VisibilityPosts} samples is their maximum. Production messaging timings (poll interval 500 ms).");
    return text.ToString();
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
