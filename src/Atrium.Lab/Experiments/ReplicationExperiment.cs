using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Atrium.Lab.Reports;
using Atrium.Lab.Systems;

namespace Atrium.Lab.Experiments;

/// <summary>
/// <c>replication</c>: a real Atrium on a PostgreSQL primary and a streaming replica that replays every commit a fixed
/// delay late (<c>recovery_min_apply_delay</c>). Signed-in authors create a link and read it back after a think time
/// (<c>GET /api/v1/links/{code}</c>, a replica read), once with read-your-writes pinning off
/// (<c>Atrium:Database:ReadYourWritesWindow</c> = 0) and once on (the default 5 s window). Measured: how often an
/// author did not see their own new link (404), by think time, and which server answered the reads
/// (<c>pg_stat_statements</c> on the primary and on the replica): the primary load pinning costs.
/// </summary>
internal sealed class ReplicationExperiment : IExperiment
{
    private const string LinkQuery = "FROM links_links WHERE code";
    private const int Concurrency = 10;
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(1);
    private static readonly int[] ThinkTimesMs = [0, 250, 500, 1000, 2000];

    private static readonly (string Key, string Label, TimeSpan Window)[] Modes =
    [
        ("unpinned", "no pinning (all reads to the replica)", TimeSpan.Zero),
        ("pinned", "read-your-writes pinning (5 s)", TimeSpan.FromSeconds(5)),
    ];

    public string Name => "replication";

    public string Summary => "replica 1 s behind: how often authors miss their own write, with and without read-your-writes pinning; primary load of each";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        var authors = context.Pick(40, 10);
        var setup = context.Progress.Step("starting PostgreSQL (primary + delayed replica) and 2 Atrium servers", 1);
        await using var primary = await PostgresInstance.StartPrimaryAsync(cancellationToken);
        var replica = await primary.StartReplicaAsync(Lag, cancellationToken);
        var databases = new List<string>();
        foreach (var _ in Modes)
        {
            var database = await primary.CreateDatabaseAsync(cancellationToken);
            await replica.WaitForDatabaseAsync(database, cancellationToken);
            databases.Add(database);
        }

        var servers = await Task.WhenAll(Modes.Select((mode, m) => AtriumServers.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = primary.ConnectionStringFor(databases[m]),
            ["ConnectionStrings:PostgresReplicas"] = replica.ConnectionStringFor(databases[m]),
            ["Atrium:Database:ReadYourWritesWindow"] = mode.Window.ToString("c", CultureInfo.InvariantCulture),
        }, cancellationToken)));
        setup.Complete();

        var findings = new Dictionary<string, double>();
        var rows = new List<IReadOnlyList<string>>();
        var series = new List<ChartSeries>();
        try
        {
            for (var m = 0; m < Modes.Length; m++)
            {
                var (key, label, _) = Modes[m];
                using var http = LinkClient.Create(servers[m].Address);
                var signUp = context.Progress.Step($"{label}: signing up {authors} authors", authors);
                var tokens = new string[authors];
                await Parallel.ForAsync(0, authors, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (a, ct) =>
                {
                    tokens[a] = await LinkClient.SignUpAsync(http, ct);
                    signUp.Advance();
                });
                signUp.Complete();
                await primary.WaitUntilReplayedAsync(replica, cancellationToken); // the accounts reach the replica: only the links are measured

                var primaryBefore = await primary.CallsAsync(databases[m], LinkQuery, cancellationToken);
                var replicaBefore = await replica.CallsAsync(databases[m], LinkQuery, cancellationToken);
                var step = context.Progress.Step($"{label}: {authors} authors × {ThinkTimesMs.Length} writes, each read back", authors * ThinkTimesMs.Length);
                var outcomes = new ConcurrentBag<(int ThinkMs, bool Stale)>();
                var pairs = Enumerable.Range(0, authors).SelectMany(a => ThinkTimesMs.Select(think => (Author: a, Think: think))).ToList();
                var options = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
                await Parallel.ForEachAsync(pairs, options, async (pair, ct) =>
                {
                    var (a, think) = pair;
                    var code = await LinkClient.CreateLinkAsync(http, $"https://example.com/lab/replication/{a}/{think}", ct, tokens[a]);
                    await Task.Delay(think, ct);
                    using var read = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/links/{code}", UriKind.Relative));
                    read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[a]);
                    using var response = await http.SendAsync(read, ct);
                    if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound))
                    {
                        throw new InvalidOperationException($"Reading back link {code} answered {(int)response.StatusCode}.");
                    }

                    outcomes.Add((think, response.StatusCode == HttpStatusCode.NotFound));
                    step.Advance();
                });
                step.Complete();
                var onReplica = await replica.CallsAsync(databases[m], LinkQuery, cancellationToken) - replicaBefore;
                var onPrimary = await primary.CallsAsync(databases[m], LinkQuery, cancellationToken) - primaryBefore;

                var reads = outcomes.Count;
                var stale = outcomes.Count(o => o.Stale);
                findings[$"{key}.reads"] = reads;
                findings[$"{key}.stale"] = stale;
                findings[$"{key}.staleShare"] = (double)stale / reads;
                findings[$"{key}.replicaReads"] = onReplica;
                findings[$"{key}.primaryReads"] = onPrimary;
                findings[$"{key}.primaryShare"] = onPrimary + onReplica == 0 ? 0 : onPrimary / (double)(onPrimary + onReplica);
                var byThink = ThinkTimesMs.Select(t =>
                {
                    var at = outcomes.Where(o => o.ThinkMs == t).ToList();
                    var share = at.Count == 0 ? 0 : (double)at.Count(o => o.Stale) / at.Count;
                    findings[$"{key}.staleShare@{t}ms"] = share;
                    return share;
                }).ToList();
                series.Add(new ChartSeries(label, byThink.Select(s => s * 100).ToList(), ThinkTimesMs.Select(t => (double)t).ToList()));
                rows.Add([
                    label,
                    $"{stale} of {reads} ({Percent((double)stale / reads)})",
                    .. byThink.Select(Percent),
                    $"{onPrimary} / {onReplica}",
                    Percent(findings[$"{key}.primaryShare"]),
                ]);
            }
        }
        finally
        {
            await Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask()));
        }

        var conclusion = string.Create(CultureInfo.InvariantCulture,
            $"With the replica {Lag.TotalSeconds:0} s behind and no pinning, authors failed to see their own new link in " +
            $"{Percent(findings["unpinned.staleShare"])} of read-backs ({Percent(findings["unpinned.staleShare@0ms"])} when reading at once, " +
            $"{Percent(findings[$"unpinned.staleShare@{ThinkTimesMs[^1]}ms"])} after {ThinkTimesMs[^1]} ms), and the primary served {Percent(findings["unpinned.primaryShare"])} of those reads. " +
            $"With read-your-writes pinning they missed it in {Percent(findings["pinned.staleShare"])} of read-backs, at the cost of the primary serving " +
            $"{Percent(findings["pinned.primaryShare"])} of the authors' reads for the pin window.");
        return new ExperimentResult(
            Name,
            "Replication lag and read-your-writes",
            "How often does an author miss their own write on a lagging replica, and what does pinning their reads to the primary cost it?",
            [
                ("replica", $"PostgreSQL 15 streaming replica, recovery_min_apply_delay = {Lag.TotalMilliseconds:0} ms"),
                ("authors", $"{authors}, each creating {ThinkTimesMs.Length} links and reading each back after {string.Join(", ", ThinkTimesMs)} ms; {Concurrency} write-then-read pairs at a time"),
                ("pinning", "Atrium:Database:ReadYourWritesWindow = 0 (off) vs 5 s (the default; in-process pins, one server)"),
                ("reads counted", "pg_stat_statements calls of the link lookup on the primary and on the replica"),
                .. (context.Target is null ? Array.Empty<(string, string)>() : [("--target", "not used: this experiment starts its own primary and delayed replica")]),
            ],
            new ResultTable(["mode", "stale read-backs", .. ThinkTimesMs.Select(t => $"stale at {t} ms"), "link reads primary / replica", "primary's share"], rows),
            new ChartSpec("Authors not seeing their own write, by think time", "think time before reading back (ms)", "stale read-backs (%)", ChartKind.Lines, series),
            conclusion,
            findings);
    }

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
