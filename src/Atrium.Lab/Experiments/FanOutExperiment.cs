using System.Globalization;
using Atrium.Feed;
using Atrium.Lab.FanOut;
using Atrium.Lab.Reports;
using Atrium.Lab.Systems;

namespace Atrium.Lab.Experiments;

/// <summary>
/// <c>fanout</c>: the feed's three strategies (<c>Feed:Mode</c> = Push, Pull, Hybrid), each on its own real Atrium
/// server (SQLite + Redis timelines) holding the same generated <see cref="FollowGraph"/>: one celebrity with tens of
/// thousands of followers, ordinary authors with hundreds, and reader accounts following all of them. Measured per
/// post: home-timeline entries written (the servers' <c>atrium_feed_timeline_writes_total</c>), the time until every
/// active follower's timeline holds it (pushed posts) and until a reader's feed shows it; then the readers' feed-read
/// latency under an open-loop load. Always starts its own servers (<c>--target</c> is not used: it seeds the graph
/// into the server's database).
/// </summary>
internal sealed class FanOutExperiment : IExperiment
{
    private static readonly FanOutMode[] Modes = [FanOutMode.Push, FanOutMode.Pull, FanOutMode.Hybrid];

    public string Name => "fanout";

    public string Summary => "push vs pull vs hybrid fan-out with a celebrity: timeline writes per post, post-to-visible p99, feed-read p99";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        var graph = context.Pick(new FollowGraph(50_000, 5, 500, 20), new FollowGraph(2_000, 3, 100, 4));
        var threshold = context.Pick(10_000L, 1_000L);
        var celebrityPosts = context.Pick(10, 2);
        var ordinaryPosts = context.Pick(20, 3);
        var readRate = context.Pick(200.0, 40.0);
        var readDuration = context.Pick(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));

        var setup = context.Progress.Step("starting Redis", 1);
        await using var redis = await RedisInstance.StartAsync(cancellationToken);
        setup.Complete();
        var measured = new List<StrategyMeasurement>();
        for (var m = 0; m < Modes.Length; m++)
        {
            var run = new StrategyRun(context, graph, threshold, redis, m + 1);
            measured.Add(await run.RunAsync(Modes[m], celebrityPosts, ordinaryPosts, readRate, readDuration, cancellationToken));
        }

        var findings = new Dictionary<string, double>
        {
            ["celebrityAudience"] = graph.CelebrityAudience,
            ["authorAudience"] = graph.AuthorAudience,
        };
        var rows = new List<IReadOnlyList<string>>();
        foreach (var s in measured)
        {
            var key = Key(s.Mode);
            foreach (var (kind, celebrity) in new[] { ("celebrity", true), ("ordinary", false) })
            {
                var posts = s.Of(celebrity).ToList();
                findings[$"{key}.{kind}.posts"] = posts.Count;
                findings[$"{key}.{kind}.minWrites"] = posts.Min(p => p.Writes);
                findings[$"{key}.{kind}.maxWrites"] = posts.Max(p => p.Writes);
                findings[$"{key}.{kind}.seen"] = posts.Count(p => p.VisibleMs is not null);
                findings[$"{key}.{kind}.fannedOut"] = posts.Count(p => p.FanOutMs is not null);
                findings[$"{key}.{kind}.visibleP99"] = StrategyMeasurement.Percentile(posts.Select(p => p.VisibleMs ?? double.NaN).Where(double.IsFinite), 99);
            }

            findings[$"{key}.readP99"] = s.Reads.P99;
            findings[$"{key}.readOk"] = s.Reads.Ok;
            findings[$"{key}.readFailed"] = s.Reads.Failed;
            rows.Add([
                Label(s.Mode),
                Writes(s, celebrity: true),
                Writes(s, celebrity: false),
                FanOut(s, celebrity: true),
                FanOut(s, celebrity: false),
                Ms(StrategyMeasurement.Percentile(s.Posts.Select(p => p.VisibleMs ?? double.NaN).Where(double.IsFinite), 99)),
                s.Posts.Count(p => p.VisibleMs is null).ToString(CultureInfo.InvariantCulture),
                Ms(s.Reads.P50),
                Ms(s.Reads.P99),
                s.Reads.ErrorSummary,
            ]);
        }

        return new ExperimentResult(
            Name,
            "Fan-out: push vs pull vs hybrid",
            "What does each fan-out strategy cost per post, how soon do followers see a post, and what does it do to feed reads?",
            [
                ("graph", $"1 celebrity with {graph.CelebrityFollowers:N0} generated followers, {graph.Authors} ordinary authors with {graph.FollowersPerAuthor:N0} each (a subset), {graph.Readers} reader accounts following all of them; every follower active with a built timeline"),
                ("system", $"one Atrium server per strategy (Feed:Mode), embedded SQLite + Redis timelines (sorted sets), Feed:CelebrityThreshold = {threshold:N0}, fan-out batches of 1,000"),
                ("posts", $"{celebrityPosts} by the celebrity and {ordinaryPosts} by ordinary authors, one at a time, interleaved"),
                ("timeline writes", $"{StrategyRun.WritesMetric} from the server's /metrics (entries written by fan-out on write)"),
                ("all timelines", $"fan-out complete: from before the POST until every probed follower timeline (every {FollowGraph.ProbeSpacing}th follower, the last, every reader) holds the post"),
                ("post-to-visible", "from before the POST until a reader's GET /api/v1/feed shows it (polled)"),
                ("feed reads", $"GET /api/v1/feed?limit=20 by the readers, {readRate:0}/s open loop for {readDuration.TotalSeconds:0} s after the posts"),
                ("strategies", "push: fan-out on write for every author; pull: every read merges the followees' posts from the database; hybrid: push, except celebrities' posts, merged at read"),
                ("delivery", "a pushed post goes POST → outbox → queue → planner → fan-out batches → outbox → queue → writer (embedded shape: in-process queue polled every Atrium:Messaging:PollInterval, 500 ms by default)"),
                .. (context.Target is null ? Array.Empty<(string, string)>() : [("--target", "not used: this experiment seeds its follow graph into the databases of servers it starts")]),
            ],
            new ResultTable(
                ["strategy", "writes / celebrity post", "writes / ordinary post", "all timelines p99 (celebrity)", "all timelines p99 (ordinary)", "post-to-visible p99", "unseen posts", "feed read p50", "feed read p99", "read errors"],
                rows),
            new ChartSpec("Timeline writes per post", "strategy", "entries written", ChartKind.Bars,
                [
                    new ChartSeries("celebrity post", [.. measured.Select(s => s.Of(celebrity: true).Average(p => (double)p.Writes))]),
                    new ChartSeries("ordinary post", [.. measured.Select(s => s.Of(celebrity: false).Average(p => (double)p.Writes))]),
                ],
                [.. measured.Select(s => Label(s.Mode))]),
            Conclude(measured, graph),
            findings);
    }

    private static string Conclude(List<StrategyMeasurement> measured, FollowGraph graph)
    {
        var push = measured.Single(s => s.Mode == FanOutMode.Push);
        var pull = measured.Single(s => s.Mode == FanOutMode.Pull);
        var hybrid = measured.Single(s => s.Mode == FanOutMode.Hybrid);
        var unseen = measured.Sum(s => s.Posts.Count(p => p.VisibleMs is null));
        var fastestRead = measured.MinBy(s => s.Reads.P99)!;
        return string.Create(CultureInfo.InvariantCulture,
            $"Push wrote {Average(push, true):N0} timeline entries for each celebrity post ({graph.CelebrityAudience:N0} active followers) and {Average(push, false):N0} for an ordinary one; " +
            $"its celebrity posts reached every follower's timeline after {P99(push.Of(true).Select(p => p.FanOutMs)):0} ms (p99) against {P99(push.Of(false).Select(p => p.FanOutMs)):0} ms for ordinary posts. " +
            $"Hybrid wrote {Average(hybrid, true):N0} per celebrity post (merged at read instead) and {Average(hybrid, false):N0} per ordinary post; pull wrote {Average(pull, true) + Average(pull, false):N0}. " +
            $"Post-to-visible p99 for a reader: push {P99(push.Posts.Select(p => p.VisibleMs)):0} ms, pull {P99(pull.Posts.Select(p => p.VisibleMs)):0} ms, hybrid {P99(hybrid.Posts.Select(p => p.VisibleMs)):0} ms" +
            $"{(unseen == 0 ? "; every reader saw every post" : $"; {unseen} post(s) were never seen within the wait")}. " +
            $"Feed-read p99: push {push.Reads.P99:0.0} ms, pull {pull.Reads.P99:0.0} ms, hybrid {hybrid.Reads.P99:0.0} ms (lowest: {Label(fastestRead.Mode)}). ") + Floor(push, graph);
    }

    /// <summary>Whether the writes or the asynchronous delivery (outbox and queue hops) set a pushed post's time to all timelines.</summary>
    private static string Floor(StrategyMeasurement push, FollowGraph graph)
    {
        var ordinary = P99(push.Of(false).Select(p => p.FanOutMs));
        var extra = P99(push.Of(true).Select(p => p.FanOutMs)) - ordinary;
        return extra < ordinary
            ? string.Create(CultureInfo.InvariantCulture,
                $"The celebrity's {graph.CelebrityAudience:N0} writes added only {Math.Max(0, extra):0} ms over an ordinary post's {graph.AuthorAudience:N0}: most of a pushed post's {ordinary:0} ms is its asynchronous delivery (outbox and queue hops), not the writes.")
            : string.Create(CultureInfo.InvariantCulture,
                $"The celebrity's {graph.CelebrityAudience:N0} writes added {extra:0} ms over an ordinary post's {graph.AuthorAudience:N0} ({ordinary:0} ms): at this size the writes, not the delivery, set the time.");
    }

    private static double Average(StrategyMeasurement s, bool celebrity) => s.Of(celebrity).Average(p => (double)p.Writes);

    private static double P99(IEnumerable<double?> values) =>
        StrategyMeasurement.Percentile(values.Where(v => v is not null).Select(v => v!.Value), 99);

    private static string Writes(StrategyMeasurement s, bool celebrity)
    {
        var posts = s.Of(celebrity).ToList();
        var min = posts.Min(p => p.Writes);
        var max = posts.Max(p => p.Writes);
        return min == max ? min.ToString("N0", CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{min:N0}–{max:N0}");
    }

    private static string FanOut(StrategyMeasurement s, bool celebrity)
    {
        var times = s.Of(celebrity).Where(p => p.FanOutMs is not null).Select(p => p.FanOutMs!.Value).ToList();
        return times.Count == 0 ? "none (not pushed)" : Ms(StrategyMeasurement.Percentile(times, 99));
    }

    private static string Key(FanOutMode mode) => mode.ToString().ToLowerInvariant();

    private static string Label(FanOutMode mode) => Key(mode);

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
