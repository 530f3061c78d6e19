using System.Globalization;
using Atrium.Lab.Load;
using Atrium.Lab.Reports;
using Atrium.Lab.Systems;
using Atrium.Links;

namespace Atrium.Lab.Experiments;

/// <summary>
/// <c>cache</c>: the redirect (<c>GET /{code}</c>) of real Atrium servers on PostgreSQL + Redis, with
/// <c>Links:Cache</c> set to None (every redirect reads the database), Local (cache-aside in the node's L1) and
/// Distributed (L1 + the Redis L2), under the same open-loop load over Zipf-distributed links. Measured: redirects
/// answered per second, p50/p99 from the intended start, and the database reads behind them (the servers' own
/// <c>atrium_links_cache_misses_total</c>: every miss is one primary read). L1 lives shorter than in production so
/// that it expires during the run and the L2's part shows. With <c>--target</c>: the same load against that Atrium,
/// as it is configured.
/// </summary>
internal sealed class CacheExperiment : IExperiment
{
    public const string MissesMetric = "atrium_links_cache_misses_total";
    private const int WarmUpLinks = 20;

    private static readonly (string Key, string Label, LinkCacheMode Mode)[] Strategies =
    [
        ("none", "no cache", LinkCacheMode.None),
        ("l1", "cache-aside, L1 (in-process)", LinkCacheMode.Local),
        ("l1l2", "L1 + Redis L2", LinkCacheMode.Distributed),
    ];

    public string Name => "cache";

    public string Summary => "redirects with no cache vs cache-aside L1 vs L1 + Redis L2: throughput, p99, database reads per second";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        var rate = context.Pick(600.0, 200.0);
        var duration = context.Pick(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3));
        var links = context.Pick(2_000, 200);
        var nodes = context.Pick(2, 1);
        var localLifetime = context.Pick(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        var sequence = ZipfKeys.Sequence(links, (long)Math.Round(rate * duration.TotalSeconds));

        var measured = new List<(string Key, string Label, Measurement Result)>();
        if (context.Target is { } target)
        {
            measured.Add(("target", $"target {target}", await MeasureAsync(context, [target], null, links, sequence, rate, duration, "target", cancellationToken)));
        }
        else
        {
            var setup = context.Progress.Step($"starting PostgreSQL, Redis and {Strategies.Length * nodes} Atrium servers", 1);
            await using var postgres = await PostgresInstance.StartPrimaryAsync(cancellationToken);
            await using var redis = await RedisInstance.StartAsync(cancellationToken);
            var clusters = await Task.WhenAll(Strategies.Select(async (strategy, index) =>
            {
                var database = await postgres.CreateDatabaseAsync(cancellationToken);
                var settings = new Dictionary<string, string>
                {
                    ["ConnectionStrings:Postgres"] = postgres.ConnectionStringFor(database),
                    ["ConnectionStrings:Redis"] = redis.ConnectionStringFor(index + 1, database),
                    ["Links:Cache"] = strategy.Mode.ToString(),
                    ["Links:LocalCacheDuration"] = localLifetime.ToString("c", CultureInfo.InvariantCulture),
                };
                var servers = new List<DotnetApp>();
                foreach (var _ in Enumerable.Range(0, nodes))
                {
                    servers.Add(await AtriumServers.StartAsync(settings, cancellationToken)); // one at a time: migrations run on the first
                }

                return servers;
            }));
            setup.Complete();
            try
            {
                for (var s = 0; s < Strategies.Length; s++)
                {
                    var (key, label, _) = Strategies[s];
                    var result = await MeasureAsync(context, clusters[s].Select(n => n.Address).ToList(), redis, links, sequence, rate, duration, label, cancellationToken);
                    measured.Add((key, label, result));
                }
            }
            finally
            {
                await Task.WhenAll(clusters.SelectMany(c => c).Select(n => n.DisposeAsync().AsTask()));
            }
        }

        var findings = new Dictionary<string, double>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (key, label, m) in measured)
        {
            findings[$"{key}.redirects"] = m.Load.Ok;
            findings[$"{key}.databaseReads"] = m.DatabaseReads;
            findings[$"{key}.readsPerRedirect"] = m.ReadsPerRedirect;
            findings[$"{key}.readsPerSecond"] = m.ReadsPerSecond;
            findings[$"{key}.p99"] = m.Load.P99;
            findings[$"{key}.okPerSecond"] = m.Load.OkPerSecond;
            findings[$"{key}.redisHits"] = m.RedisHits ?? 0;
            rows.Add([
                label,
                m.Load.OkPerSecond.ToString("0", CultureInfo.InvariantCulture),
                Ms(m.Load.P50),
                Ms(m.Load.P99),
                m.ReadsPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                m.ReadsPerRedirect.ToString("0.000", CultureInfo.InvariantCulture),
                m.RedisHits?.ToString(CultureInfo.InvariantCulture) ?? "n/a",
                m.Load.ErrorSummary,
            ]);
        }

        return new ExperimentResult(
            Name,
            "Cache: none vs L1 vs L1 + Redis L2",
            "What does each cache layer save the database on the redirect path, and what does it do to latency?",
            [
                ("load", $"{rate:0} redirects/s, open loop, {duration.TotalSeconds:0} s per strategy, links drawn Zipf(1) from {links:N0}"),
                ("system", context.Target is null ? $"{nodes} Atrium server(s) per strategy (client round robin), PostgreSQL 15, Redis; cold caches" : "the --target Atrium as configured"),
                ("L1 lifetime", $"{localLifetime.TotalSeconds:0} s (Links:LocalCacheDuration; production 10 min, 60 s in the cluster) so it expires during the run; L2 keeps entries 6× as long"),
                ("database reads", $"{MissesMetric} from each server's /metrics (one primary read per miss)"),
                ("Redis hits", "keyspace_hits of Redis INFO stats during the run (L1 refilled from the L2)"),
            ],
            new ResultTable(["strategy", "redirects/s", "p50", "p99", "database reads/s", "reads per redirect", "Redis hits", "errors"], rows),
            new ChartSpec("Database reads per second", "strategy", "reads/s", ChartKind.Bars,
                [new ChartSeries("database reads/s", measured.Select(m => m.Result.ReadsPerSecond).ToList())], measured.Select(m => m.Label).ToList()),
            Conclude(measured),
            findings);
    }

    private static async Task<Measurement> MeasureAsync(
        ExperimentContext context, IReadOnlyList<Uri> servers, RedisInstance? redis, int links, int[] sequence, double rate, TimeSpan duration, string label, CancellationToken cancellationToken)
    {
        var clients = servers.Select(s => LinkClient.Create(s, 512)).ToList();
        try
        {
            var create = context.Progress.Step($"{label}: creating {links + WarmUpLinks:N0} links", links + WarmUpLinks);
            var codes = new string[links + WarmUpLinks];
            await Parallel.ForAsync(0, codes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                codes[i] = await LinkClient.CreateLinkAsync(clients[i % clients.Count], $"https://example.com/lab/cache/{i}", ct);
                create.Advance();
            });
            create.Complete();

            // Warm-up on links of their own (JIT, connection pools), so the measured links start cold in every cache.
            var warm = context.Progress.Step($"{label}: warming up", 1);
            await OpenLoopLoad.RunAsync(
                async (i, ct) =>
                {
                    using var response = await clients[(int)(i % clients.Count)].GetAsync(new Uri("/" + codes[links + (i % WarmUpLinks)], UriKind.Relative), ct);
                    return null;
                },
                rate, TimeSpan.FromSeconds(1), cancellationToken);
            warm.Complete();

            var before = await MissesAsync(clients, cancellationToken);
            var redisHitsBefore = redis is null ? 0 : await redis.StatAsync("keyspace_hits", cancellationToken);
            var step = context.Progress.Step($"{label}: {rate:0} redirects/s", sequence.Length);
            var load = await OpenLoopLoad.RunAsync(
                async (i, ct) =>
                {
                    using var response = await clients[(int)(i % clients.Count)].GetAsync(new Uri("/" + codes[sequence[i]], UriKind.Relative), ct);
                    return (int)response.StatusCode is 301 or 302 ? null : $"http {(int)response.StatusCode}";
                },
                rate, duration, cancellationToken, onSent: () => step.Advance());
            step.Complete();
            var reads = await MissesAsync(clients, cancellationToken) - before;
            long? redisHits = redis is null ? null : await redis.StatAsync("keyspace_hits", cancellationToken) - redisHitsBefore;
            return new Measurement(load, reads, redisHits);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<double> MissesAsync(List<HttpClient> clients, CancellationToken cancellationToken)
    {
        var total = 0.0;
        foreach (var client in clients)
        {
            total += await PrometheusScrape.CounterAsync(client, client.BaseAddress!, MissesMetric, cancellationToken);
        }

        return total;
    }

    private static string Conclude(List<(string Key, string Label, Measurement Result)> measured)
    {
        if (measured.Count == 1)
        {
            var only = measured[0].Result;
            return string.Create(CultureInfo.InvariantCulture,
                $"The target answered {only.Load.OkPerSecond:0} redirects/s with p99 {only.Load.P99:0.0} ms and read the database {only.ReadsPerSecond:0.0} times a second " +
                $"({only.ReadsPerRedirect:0.000} reads per redirect).");
        }

        var none = measured.Single(m => m.Key == "none").Result;
        var l1 = measured.Single(m => m.Key == "l1").Result;
        var l2 = measured.Single(m => m.Key == "l1l2").Result;
        var fastest = measured.MinBy(m => m.Result.Load.P99);
        return string.Create(CultureInfo.InvariantCulture,
            $"Without a cache every redirect read the database ({none.ReadsPerRedirect:0.00} reads per redirect, {none.ReadsPerSecond:0} reads/s). " +
            $"Cache-aside in L1 cut that to {l1.ReadsPerRedirect:0.000} per redirect ({Compare(l1.ReadsPerRedirect, none.ReadsPerRedirect)} than no cache); " +
            $"adding the Redis L2 made it {l2.ReadsPerRedirect:0.000} ({Compare(l2.ReadsPerRedirect, l1.ReadsPerRedirect)} than L1 alone): {l2.RedisHits ?? 0} L1 misses " +
            $"were answered by Redis instead of the database. p99: {none.Load.P99:0.0} ms without a cache, {l1.Load.P99:0.0} ms with L1, {l2.Load.P99:0.0} ms with L1 + L2; " +
            $"lowest: {fastest.Label}.");
    }

    /// <summary>"3.2× fewer reads" or "1.4× more reads": <paramref name="value"/> against <paramref name="baseline"/>.</summary>
    private static string Compare(double value, double baseline) =>
        value <= 0 ? "every read saved"
        : baseline <= 0 ? "more reads"
        : value <= baseline ? string.Create(CultureInfo.InvariantCulture, $"{baseline / value:0.0}× fewer reads")
        : string.Create(CultureInfo.InvariantCulture, $"{value / baseline:0.0}× more reads");

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private sealed record Measurement(LoadResult Load, double DatabaseReads, long? RedisHits)
    {
        public double ReadsPerRedirect => Load.Ok == 0 ? 0 : DatabaseReads / Load.Ok;

        public double ReadsPerSecond => Load.Elapsed > TimeSpan.Zero ? DatabaseReads / Load.Elapsed.TotalSeconds : 0;
    }
}
