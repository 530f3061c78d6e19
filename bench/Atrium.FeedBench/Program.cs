using System.Globalization;
using System.Text;
using Atrium.FeedBench;
using Atrium.Testing;
using Atrium.Testing.Servers;

// Feed measurements on one machine in one run (scripts/bench-feed.sh): the real Atrium (the server's Program, on
// Kestrel at 127.0.0.1, SQLite for data and queue, Redis for home timelines) and a real Redis. Not a test: it
// asserts nothing and prints what it measured into reports/feed.md.
var options = BenchOptions.Parse(args);
var ct = CancellationToken.None;
var loadBefore = LoadAverage();
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
    ["Atrium:Messaging:BatchSize"] = "100",
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
    Console.WriteLine($"read: p50 {read.Latency.At(50):0.00} ms, p99 {read.Latency.At(99):0.00} ms, {read.Errors} errors");
    var fanOut = await FanOutBench.RunAsync(http, app.Services, options, ct);
    Console.WriteLine($"fan-out: {fanOut.InsertsPerSecond:0} inserts/s; visibility p50 {fanOut.Visibility.At(50):0} ms, p99 {fanOut.Visibility.At(99):0} ms");

    var report = Report(options, read, fanOut, loadBefore, LoadAverage());
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Report))!);
    await File.WriteAllTextAsync(options.Report, report, ct);
    Console.WriteLine(report);
}
finally
{
    await app.DisposeAsync();
    if (ownRedis is not null)
    {
        await ownRedis.DisposeAsync();
    }
}

static string Report(BenchOptions options, ReadLatencyBench.Result read, FanOutBench.Result fanOut, string loadBefore, string loadAfter)
{
    var c = CultureInfo.InvariantCulture;
    var ratio = options.ZaddPerSecond > 0 ? (fanOut.InsertsPerSecond / options.ZaddPerSecond).ToString("P0", c) : "not measured";
    var zadd = options.ZaddPerSecond > 0 ? options.ZaddPerSecond.ToString("N0", c) : "not measured";
    var text = new StringBuilder();
    text.AppendLine("# Feed measurements");
    text.AppendLine();
    text.AppendLine(c, $"One run of `scripts/bench-feed.sh` on {Environment.ProcessorCount} cores, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: the real Atrium");
    text.AppendLine("(Kestrel on 127.0.0.1, SQLite for data and queue, hybrid fan-out) and one real Redis holding the home timelines;");
    text.AppendLine("the load generator runs in the same process. Benchmarks, not tests: nothing here passes or fails.");
    text.AppendLine(c, $"Load average (1/5/15 min) at the start: {loadBefore}; at the end: {loadAfter} — other work on the machine shows in every number.");
    text.AppendLine();
    text.AppendLine("| measurement | result | goal |");
    text.AppendLine("|---|---|---|");
    text.AppendLine(c, $"| home-timeline read latency at {options.ReadsPerSecond} req/s for {options.ReadSeconds} s (`GET /api/v1/feed?limit=20`, open loop) | p50 {read.Latency.At(50):0.00} ms, p99 {read.Latency.At(99):0.00} ms, max {read.Latency.Max:0.00} ms; {read.Errors} errors of {read.Latency.Count}, {read.AchievedRate:0} req/s achieved | |");
    text.AppendLine(c, $"| fan-out throughput ({options.ThroughputPosts} posts back to back, {options.Followers:N0} active followers each) | {fanOut.InsertsPerSecond:N0} timeline inserts/s ({fanOut.Inserts:N0} in {fanOut.Seconds:0.00} s) | ≥ 50 % of ZADD |");
    text.AppendLine(c, $"| redis-benchmark pipelined ZADD (`-P 16 -t zadd`), same Redis, same run | {zadd} ZADD/s | |");
    text.AppendLine(c, $"| fan-out / ZADD | {ratio} | ≥ 50 % |");
    text.AppendLine(c, $"| post → visible in all {options.Followers:N0} timelines ({options.VisibilityPosts} posts, one at a time) | p50 {fanOut.Visibility.At(50):0} ms, p99 {fanOut.Visibility.At(99):0} ms (the POST itself: p50 {fanOut.PostLatency.At(50):0.0} ms) | p99 ≤ 1 s |");
    text.AppendLine();
    text.AppendLine(c, $"Read set-up: {options.Readers} readers, each following {options.FollowsPerReader} of {options.Authors} authors with {options.PostsPerAuthor} posts each; every read returns a full page of 20.");
    text.AppendLine("Fan-out set-up: the followers are seeded into the feed's tables and their timelines created in Redis (as a rebuild does);");
    text.AppendLine("each post then takes the real path: POST, outbox, queue, planner (batches of 1,000), the store's pipelined insert + trim script.");
    text.AppendLine("Inserts are counted by the timeline store itself. p99 of 20 visibility samples is their maximum.");
    return text.ToString();
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
